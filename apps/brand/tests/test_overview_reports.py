"""Overview reports of the brand project (R-505): each with its outlet from the registry, title, date and link
(counted once); its data pack is read from the provinces' rule indicators (never a second calculation), frozen on
the record, and exported to Excel and PDF with the same numbers; a province sees none of it."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from apps.audit.models import AuditEntry
from apps.brand import datapack, services
from apps.brand.models import OverviewReport
from apps.brand.tests.conftest import add_contact, in_year
from apps.campaigns.indicators import indicator_for
from apps.core.pdf import pdf_unavailable
from apps.core.scoping import scopes_disabled
from tests.pdf import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(brand_world):
    """浙江省 with a locked provincial list of one case of a manufacturing enterprise; the registry has 科技日报."""
    from apps.rounds.models import Round
    from apps.rounds.tests.conftest import submit
    from apps.selection.models import LockedList

    w = brand_world
    with scopes_disabled():
        w.case = submit(w).case
        w.case.enterprise.industry_section = "C"
        w.case.enterprise.industry_division = ""
        w.case.enterprise.save()
        province = Round.plain.create(programme=w.zhejiang_programme, org=w.zhejiang, kind="province_selection",
                                      state=Round.State.LOCKED)
        today = timezone.localdate()
        LockedList.plain.create(round=province, number=1, slug="brandpack001", case_ids=[w.case.pk], starts_on=today,
                                ends_on=today, result={"inputs": []}, sha256="0" * 64)
        add_contact(w)
    return w


def report(w, url="https://www.kjrb.example.cn/overview/1", **kw) -> OverviewReport:
    values = {"outlet": "科技日报", "title": "企业创新案例征集活动综述", "published_on": in_year(w, 9, 1), "url": url}
    return services.overview_report_add(programme=w.brand_programme, by=w.brand_staff, **{**values, **kw})


def test_r505_a_report_counts_once_however_its_link_is_written(listed):
    with scopes_disabled():
        report(listed)
        with pytest.raises(ValidationError) as info:
            report(listed, url="http://KJRB.example.cn/overview/1/?utm_source=wechat", title="另一篇")
        assert OverviewReport.plain.count() == 1
        assert AuditEntry.plain.filter(action="overview_report.add").count() == 1
    assert list(info.value.message_dict) == ["url"] and "只计一次" in info.value.message_dict["url"][0]


def test_r505_the_outlet_comes_from_the_registry(listed):
    with scopes_disabled(), pytest.raises(ValidationError) as info:
        report(listed, outlet="不在名录的媒体", title="", url="ftp://x")
    assert set(info.value.message_dict) == {"outlet", "title", "url"}


def test_r505_the_data_pack_holds_the_indicators_values(listed):
    with scopes_disabled():
        data = report(listed).data
        for programme in (listed.zhejiang_programme, listed.sichuan_programme):
            row = next(p for p in data["provinces"] if p["programme"] == programme.pk)
            assert row["values"] == {rule: indicator_for(programme, rule).value for rule in datapack.RULES}
    assert data["totals"]["R-109"] == 1 and data["totals"]["R-106"] >= 1
    assert data["industries"] == [{"code": "C", "label": "C 制造业", "count": 1}]
    assert {c["code"]: c["count"] for c in data["channels"]} == {"park": 1, "enterprise": 0}


def test_r505_the_data_pack_is_frozen_until_refreshed(listed):
    with scopes_disabled():
        item = report(listed)
        frozen = item.data
        listed.case.enterprise.industry_section = "I"
        listed.case.enterprise.save()
        item.refresh_from_db()
        assert item.data == frozen
        services.overview_report_refresh(report=item, by=listed.brand_staff)
        assert AuditEntry.plain.filter(action="overview_report.refresh").count() == 1
    assert [i["code"] for i in item.data["industries"]] == ["I"]


def test_r505_the_excel_holds_the_same_numbers(listed):
    with scopes_disabled():
        data = report(listed).data
    book = load_workbook(io.BytesIO(datapack.write_xlsx(data, "=综述")))
    assert book.sheetnames == ["各省数据", "省级名单案例按行业", "省级名单案例按推荐渠道"]
    sheet = book["各省数据"]
    assert sheet["A1"].value == "'=综述"  # text never becomes a formula
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]}
    for p in data["provinces"]:
        assert list(rows[p["name"]]) == [p["values"][rule] for rule in datapack.RULES]
    assert sheet._charts and book["省级名单案例按行业"]["A4"].value == "C 制造业"


def test_r505_the_pdf_embeds_its_fonts_and_shows_the_numbers(listed, client):
    # The tests' machine has Pango and a CJK font (scripts/system-deps.sh): without them this fails, not skips.
    assert pdf_unavailable() is None, f"{pdf_unavailable()}: install Debian's pango and fonts-noto-cjk"
    with scopes_disabled():
        item = report(listed)
    client.force_login(listed.brand_staff)
    response = client.get(f"/brand/reports/{item.pk}/data.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    fonts = pdf_fonts(response.content)
    assert fonts and all(embedded == "yes" for _name, embedded in fonts)
    text = pdf_text(response.content)
    assert "各省数据" in text and "浙江省" in text and "C 制造业" in text


def test_r505_is_met_with_three_reports(listed):
    with scopes_disabled():
        for n in range(3):
            assert indicator_for(listed.brand_programme, "R-505").status != "met"
            report(listed, url=f"https://www.kjrb.example.cn/overview/{n}", published_on=in_year(listed, 9, n + 1))
        indicator = indicator_for(listed.brand_programme, "R-505")
    assert (indicator.value, indicator.target, indicator.status) == (3, 3, "met")


def test_r505_the_pages_show_the_pack_and_a_province_gets_404(listed, client):
    with scopes_disabled():
        item = report(listed)
    client.force_login(listed.brand_staff)
    page = client.get(f"/brand/reports/{item.pk}/").content.decode()
    assert "浙江省" in page and "C 制造业" in page
    assert client.get(f"/brand/reports/{item.pk}/data.xlsx").status_code == 200
    client.force_login(listed.zhejiang_admin)
    pid = listed.brand_programme.pk
    for url in (f"/brand/{pid}/reports/", f"/brand/{pid}/reports/new/", f"/brand/reports/{item.pk}/",
                f"/brand/reports/{item.pk}/data.xlsx", f"/brand/reports/{item.pk}/data.pdf",
                f"/brand/{pid}/deliverables/", f"/brand/{pid}/deliverables/new/",
                "/api/v1/brand/overview-reports/", "/api/v1/brand/deliverables/"):
        assert client.get(url).status_code == 404, url


def test_r505_the_brand_team_records_a_report_through_the_api(listed, client):
    client.force_login(listed.brand_staff)
    data = {"outlet": "科技日报", "title": "综述", "published_on": in_year(listed, 9, 1).isoformat(),
            "url": "https://www.kjrb.example.cn/overview/api"}
    first = client.post("/api/v1/brand/overview-reports/", data, content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["data"]["totals"]["R-109"] == 1
    again = client.post("/api/v1/brand/overview-reports/", data, content_type="application/json")
    assert again.status_code == 400 and "url" in again.json()
    assert [r["title"] for r in client.get("/api/v1/brand/overview-reports/").json()["results"]] == ["综述"]


def test_r504_the_brand_team_uploads_a_deliverable_through_the_api(brand_world, client):
    from apps.brand.tests.conftest import shot

    client.force_login(brand_world.brand_staff)
    response = client.post("/api/v1/brand/deliverables/", {"kind": "poster", "title": "海报一", "file": shot()})
    assert response.status_code == 201, response.content
    assert (response.json()["status"], response.json()["slot"]) == ("pending", 1)
    detail = client.get(f"/api/v1/brand/deliverables/{response.json()['id']}/").json()
    assert detail["file_url"] == f"/brand/deliverables/{detail['id']}/file/"
