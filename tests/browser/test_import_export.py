"""The writer imports a file (Check, then Import) and downloads the Export zip."""

import zipfile

from playwright.sync_api import expect

NOTE = """\
---
title: "Rooftop Summer: 옥탑방 여름"
date: 2025-06-01T20:00:00+09:00
tags: [Romance, K-drama]
description: "Small rooms, big hearts."
characters:
  - {name: Kang Ha Na, actor: null, nickname: null, notes: null}
---
Two neighbours share a roof.
"""


def test_writer_checks_imports_and_exports(writer_page, live_server, tmp_path):
    page = writer_page
    source = tmp_path / "rooftop-summer.md"
    source.write_text(NOTE, encoding="utf-8")

    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Markdown or zip file", exact=True).set_input_files(source)
    page.get_by_role("button", name="Check", exact=True).click()
    report = page.locator("#import-report")
    expect(report).to_contain_text("1 to create, 0 to update, 0 unchanged, 0 skipped")
    expect(report).to_contain_text("Rooftop Summer: 옥탑방 여름")

    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Imported: 1 to create")
    expect(page.get_by_role("link", name="Rooftop Summer: 옥탑방 여름", exact=True)).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export", exact=True).click()
    target = tmp_path / "export.zip"
    download_info.value.save_as(target)
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == ["reviews/rooftop-summer.md"]
        text = archive.read("reviews/rooftop-summer.md").decode()
    assert 'title: "Rooftop Summer: 옥탑방 여름"' in text
    assert "tags: [K-drama, Romance]" in text

    page.goto(live_server.url + "/reviews/rooftop-summer")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Markdown", exact=True).click()
    assert download_info.value.suggested_filename == "rooftop-summer.md"


def test_writer_skips_the_unreadable_files_and_names_the_rating_scale(
    writer_page, live_server, tmp_path
):
    page = writer_page
    source = tmp_path / "vault.zip"
    with zipfile.ZipFile(source, "w") as archive:
        archive.writestr("Films/Harbour.md", "---\ntitle: Harbour\nrating: 4\n---\nGood.")
        archive.writestr("Films/Frost.md", "---\ntitle: Frost\nrating: 2.5\n---\nCold.")
        archive.writestr("Templates/Review.md", "---\ncreated: {{date}}\n---\n# {{title}}\n")
        archive.writestr("attachments/poster.png", b"\x89PNG\r\n\x1a\n")

    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("Markdown or zip file", exact=True).set_input_files(source)
    page.get_by_role("button", name="Check", exact=True).click()
    report = page.locator("#import-report")
    expect(report).to_contain_text("Templates/Review.md")
    expect(report).to_contain_text("are they out of 5 or out of 10?")
    expect(report).to_contain_text("attachments/poster.png: not a Markdown file")

    scale = page.get_by_label("Rating scale", exact=True)
    page.get_by_role("button", name="Import", exact=True).click()  # the scale is required
    assert scale.evaluate("select => select.validity.valueMissing")
    scale.select_option("5")
    page.get_by_role("button", name="Import", exact=True).click()
    refusal = page.locator(".import-confirm").get_by_role("alert")
    expect(refusal).to_contain_text("1 file(s) cannot be read; nothing was imported")

    page.get_by_label("Rating scale", exact=True).select_option("5")
    page.get_by_label("Skip the files that cannot be read", exact=True).check()
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Imported: 2 to create")
    page.goto(live_server.url + "/reviews/harbour")
    expect(page.locator("body")).to_contain_text("8/10")  # 4 out of 5
