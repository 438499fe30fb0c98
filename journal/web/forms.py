"""One form per action. Field labels are the fixed words of DESIGN.md."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from .. import fields
from ..cleantext import normalize_controls
from ..formatting import format_rating
from ..models import PUBLISHED

CAST_LIST_MAX = 50_000
MEDIA_TYPES = ("drama", "film", "series", "anime", "documentary", "variety", "miniseries")


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


def plain_text(form, field) -> None:
    """One-line text: nothing that failed to decode as UTF-8 (control characters are already
    normalized by TextForm)."""
    if "\ufffd" in (field.data or ""):
        raise ValidationError("This text contains bytes that are not valid UTF-8.")


multiline_text = plain_text


class TextForm(FlaskForm):
    """A form whose text fields have their control characters normalized as they are read.

    `removed_controls` counts what was removed, for the page to say so.
    """

    removed_controls = 0

    def process(self, *args, **kwargs) -> None:
        super().process(*args, **kwargs)
        self.removed_controls = 0
        for f in self:
            if type(f) in (StringField, TextAreaField) and isinstance(f.data, str):
                f.data, removed = normalize_controls(f.data, one_line=type(f) is StringField)
                self.removed_controls += removed


def half_points(form, field) -> None:
    if field.data is None or not 0 <= field.data <= 10:
        return  # NumberRange says so; 1e999999 * 2 % 1 would raise
    if (field.data * 2) % 1 != 0:
        raise ValidationError("Use whole or half points, such as 8 or 8.5.")


class RatingField(DecimalField):
    """Shows a stored 8.0 as the writer typed it: 8 (and 8.5 as 8.5)."""

    def _value(self) -> str:
        if self.raw_data is not None or self.data is None:
            return super()._value()
        return format_rating(self.data)

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():  # Infinity, NaN
            self.data = None
            raise ValueError("Enter a number such as 8 or 8.5.")


class ChoiceField(SelectField):
    """A select whose refusal of an unknown value says so in the field table's words."""

    def __init__(self, label: str, choices: tuple[str, ...], message: str, **kwargs) -> None:
        options = [SelectChoice("", "—"), *(SelectChoice(choice) for choice in choices)]
        super().__init__(label, choices=options, validators=[Optional()], **kwargs)
        self.allowed = {"", *choices}
        self.message = message

    def pre_validate(self, form) -> None:
        if self.data not in self.allowed:
            raise ValidationError(self.message)


def text_field(label: str, max_length: int, *validators, **kwargs) -> StringField:
    return StringField(
        label,
        validators=[*validators, Length(max=max_length), plain_text],
        filters=[strip_filter],
        **kwargs,
    )


def form_field(spec: fields.Field):
    """The editor's control for one entry of the field table: its label, limits and words. The
    limits become HTML attributes too (WTForms writes `maxlength` from Length itself), so
    templates need not repeat them."""
    if spec.kind == fields.INTEGER:
        return IntegerField(
            spec.label,
            validators=[Optional(), NumberRange(spec.low, spec.high, spec.message)],
            render_kw={"type": "number", "min": spec.low, "max": spec.high, "inputmode": "numeric"},
        )
    if spec.kind == fields.RATING:
        return RatingField(
            spec.label,
            places=None,
            validators=[
                Optional(),
                NumberRange(Decimal(0), Decimal(10), spec.message),
                half_points,
            ],
            render_kw={
                "type": "number",
                "min": 0,
                "max": 10,
                "step": "0.5",
                "inputmode": "decimal",
            },
        )
    if spec.kind == fields.CHOICE:
        return ChoiceField(spec.label, choices=spec.choices, message=spec.message)
    if spec.kind == fields.BOOLEAN:
        return BooleanField(spec.label)
    if spec.kind == fields.TEXT:
        return TextAreaField(
            spec.label,
            validators=[Length(max=spec.max_length, message=spec.message), multiline_text],
        )
    # A draft may be untitled (the body is often written first): a review's title is required
    # only to publish (ReviewForm.needs_title); a character's name always.
    required = [DataRequired(spec.required)] if spec.required and spec.name != "title" else []
    return text_field(spec.label, spec.max_length, *(required or [Optional()]))


def with_fields(table: tuple[fields.Field, ...]):
    """A class decorator: the form gets one control per entry of the table (WTForms' documented
    way of adding fields to a form class)."""

    def add(form_class):
        for spec in table:
            setattr(form_class, spec.name, form_field(spec))
        return form_class

    return add


@with_fields(fields.REVIEW_FIELDS)
class ReviewForm(TextForm):
    tags = text_field("Tags", 1000, Optional())
    version = HiddenField()

    def validate(self, extra_validators=None) -> bool:
        """Each field's own rules, then the rules between fields (journal/fields.py)."""
        valid = super().validate(extra_validators)
        for name, message in fields.review_problems(self.data).items():
            self[name].errors = [*self[name].errors, message]
            valid = False
        return valid

    def needs_title(self, status: str) -> bool:
        """A published review needs a title; says so beside the field."""
        if status == PUBLISHED and not self.title.data:
            self.title.errors = [*self.title.errors, fields.REVIEW["title"].required]
            return True
        return False


@with_fields(fields.CHARACTER_FIELDS)
class CharacterForm(TextForm):
    version = HiddenField()
    key = HiddenField()  # tells apart several unsaved "Add character" forms on one page


class CastListForm(TextForm):
    cast_list = TextAreaField(
        "Cast list",
        validators=[
            Length(
                max=CAST_LIST_MAX, message=f"Paste at most {CAST_LIST_MAX:,} characters at once."
            ),
            multiline_text,
        ],
    )


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[InputRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[InputRequired(), Length(max=1024)])


class SetupForm(TextForm):
    username = text_field("Username", 64, DataRequired("Choose a username."))
    password = PasswordField(
        "Password",
        validators=[
            InputRequired("Choose a password."),
            Length(min=8, max=1024, message="Use at least 8 characters."),
        ],
    )
    confirm = PasswordField(
        "Confirm password",
        validators=[InputRequired(), EqualTo("password", "The passwords do not match.")],
    )


class ConfirmForm(FlaskForm):
    """An empty form: only its CSRF token matters (delete confirmations and the like)."""
