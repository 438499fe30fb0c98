"""The reviewer's record in a browser: the writer fills it in, a reader sees scores, progress,
facts and the spoiler warning, and a bad sub-score keeps everything typed."""

from playwright.sync_api import expect


def open_new_review(page):
    page.get_by_role("link", name="New review", exact=True).click()
    page.wait_for_url("**/write/new")  # loaded: htmx has bound the editor


def test_the_writer_records_watching_and_a_reader_sees_it(writer_page, browser, live_server):
    page = writer_page
    open_new_review(page)
    page.get_by_label("Title", exact=True).fill("중증외상센터 – saving lives is a battle")
    page.get_by_label("Work title", exact=True).fill("The Trauma Code")
    page.get_by_label("Episodes", exact=True).fill("8")
    page.get_by_label("Rating", exact=True).fill("8.5")
    page.get_by_label("Watch status", exact=True).select_option("Completed")
    page.get_by_label("Episodes seen", exact=True).fill("8")
    page.get_by_label("Contains spoilers", exact=True).check()
    for label, value in (("Story", "9"), ("Acting/Cast", "9.5"), ("Music", "7"),
                         ("Rewatch value", "6")):  # fmt: skip
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("Network", exact=True).fill("Netflix")
    page.get_by_label("Country", exact=True).fill("South Korea")
    page.get_by_label("Director", exact=True).fill("Lee Do Yoon")
    page.get_by_label("Screenwriter", exact=True).fill("Choi Tae Kang")
    page.get_by_label("Body", exact=True).fill("Baek Gang Hyeok saves everyone in episode 8.")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Published.")
    expect(page.get_by_label("Watch status", exact=True)).to_have_value("Completed")
    expect(page.get_by_label("Contains spoilers", exact=True)).to_be_checked()

    visitor = browser.new_context()
    try:
        reader = visitor.new_page()
        reader.goto(live_server.url + "/reviews/the-trauma-code")
        expect(reader.get_by_text("Reviewed after episode 8 of 8")).to_be_visible()
        scores = reader.get_by_role("table", name="Scores out of 10")
        expect(scores.get_by_role("row")).to_have_count(5)
        expect(scores.get_by_role("row", name="Acting/Cast")).to_contain_text("9.5")
        warning = reader.get_by_role("note").filter(has_text="Contains spoilers.")
        expect(warning).to_be_visible()
        box_warning, box_body = (
            warning.bounding_box(),
            reader.locator(".review-body").bounding_box(),
        )
        assert box_warning["y"] < box_body["y"]  # the warning comes before the body
        expect(reader.locator(".facts")).to_contain_text("Choi Tae Kang")
    finally:
        visitor.close()


def test_a_bad_sub_score_is_refused_and_nothing_typed_is_lost(writer_page):
    page = writer_page
    open_new_review(page)
    page.get_by_label("Title", exact=True).fill("A draft with a bad score")
    page.get_by_label("Body", exact=True).fill("Every word of this stays.")
    page.get_by_label("Director", exact=True).fill("Kim Hee Won")
    story = page.get_by_label("Story", exact=True)
    story.evaluate("input => input.removeAttribute('max')")  # as a browser without checks would
    story.fill("10.5")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Rate Story from 0 to 10.")).to_be_visible()
    expect(page.get_by_label("Body", exact=True)).to_have_value("Every word of this stays.")
    expect(page.get_by_label("Director", exact=True)).to_have_value("Kim Hee Won")
