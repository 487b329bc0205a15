"""Work rules 工作细则 (R-101): seven sections, edited by the province, printed as Word with the quota table."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from docx import Document
from docx.oxml.ns import qn

from apps.audit.models import AuditEntry
from apps.campaigns.docx import work_rules_docx
from apps.campaigns.models import Programme, WorkRules
from apps.campaigns.services import work_rules_update
from apps.campaigns.tests.world import approved_quota_table

SECTIONS = {
    "overall_flow": "按照企业推荐、区县筛查、市级遴选、省级遴选的流程开展。",
    "quota_allocation": "名额按各市科协数量比例分配。",
    "enterprise_recommendation": "企业科协择优推荐。\n\n推荐表须加盖公章。",
    "city_selection": "市级采用专家评审和网络投票。",
    "provincial_selection": "省级遴选不超过100件。",
    "publicity_plan": "全周期宣传，网络直播。",
    "event_plan": "在科技园区举办省级宣讲活动。",
}


def work_rules(programme) -> WorkRules:
    return WorkRules.plain.get(programme=programme)


def open_docx(content: bytes):
    return Document(io.BytesIO(content))


def test_r101_the_province_writes_its_seven_sections_and_each_change_is_audited(campaign_world, system):
    programme = campaign_world.zhejiang_programme
    work_rules_update(work_rules=work_rules(programme), by=campaign_world.zhejiang_admin, sections=SECTIONS)
    saved = work_rules(programme)
    assert [text for _n, _t, text in saved.sections()] == list(SECTIONS.values())
    work_rules_update(work_rules=saved, by=campaign_world.zhejiang_admin,
                      sections={**SECTIONS, "event_plan": "举办2场省级宣讲活动。"})
    last = AuditEntry.plain.filter(action="work_rules.update").order_by("-id").first()
    assert json.loads(last.data) == {"changes": {
        "event_plan": {"old": "在科技园区举办省级宣讲活动。", "new": "举办2场省级宣讲活动。"}}}


def test_an_overlong_section_is_refused_and_nothing_changes(campaign_world, system):
    programme = campaign_world.zhejiang_programme
    with pytest.raises(ValidationError, match="“总体流程”超过20000字，请精简"):
        work_rules_update(work_rules=work_rules(programme), by=campaign_world.zhejiang_admin,
                          sections={"overall_flow": "流" * 20001})
    assert work_rules(programme).overall_flow == ""
    assert not AuditEntry.plain.filter(action="work_rules.update").exists()


@pytest.mark.parametrize("who", ["hangzhou_admin", "center_admin", "sichuan_admin"])
def test_only_the_province_edits_its_work_rules(campaign_world, system, who):
    with pytest.raises(Http404):
        work_rules_update(work_rules=work_rules(campaign_world.zhejiang_programme), by=getattr(campaign_world, who),
                          sections={"overall_flow": "x"})


def test_r101_the_word_document_holds_title_sections_key_numbers_and_quota_table(campaign_world, system):
    programme = campaign_world.zhejiang_programme
    work_rules_update(work_rules=work_rules(programme), by=campaign_world.zhejiang_admin, sections=SECTIONS)
    doc = open_docx(work_rules_docx(Programme.plain.get(pk=programme.pk), work_rules(programme)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert paragraphs[0] == "浙江省2026年企业典型创新案例征集及宣讲活动工作细则"
    headings = [t for t in paragraphs if t[:2] in {"一、", "二、", "三、", "四、", "五、", "六、", "七、"}]
    assert headings == ["一、总体流程", "二、名额分配", "三、企业内部推荐标准和流程", "四、市级遴选标准和流程",
                        "五、省级遴选标准和流程", "六、宣传工作方案", "七、区域宣讲活动方案"]
    assert "推荐表须加盖公章。" in paragraphs and "在科技园区举办省级宣讲活动。" in paragraphs

    quota_table, rules_table = doc.tables
    cells = [[c.text for c in row.cells] for row in quota_table.rows]
    assert cells[0] == ["市", "园区和企业科协数", "名额", "最少推荐数（差额20%）"]
    # 杭州 has 3 associations, 宁波 2: 60 and 40 of 100, lists of at least 72 and 48.
    assert cells[1:] == [["杭州市", "3", "60", "72"], ["宁波市", "2", "40", "48"], ["合计", "5", "100", "120"]]

    rule_cells = {row.cells[1].text: (row.cells[0].text, row.cells[2].text) for row in rules_table.rows[1:]}
    assert rule_cells["省级遴选园区科协推荐比例"] == ("R-109", "30%")
    assert rule_cells["每省征集宣传案例数（目标）"] == ("R-103", "100件")
    assert rule_cells["首场省级宣讲活动截止日期"] == ("R-204", "2026年10月31日")


def test_the_word_document_sets_an_east_asian_font_so_chinese_renders(campaign_world, system):
    programme = campaign_world.zhejiang_programme
    doc = open_docx(work_rules_docx(programme, work_rules(programme)))
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "SimSun"
    run = doc.paragraphs[0].runs[0]
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "SimSun"


def test_an_empty_section_prints_as_to_be_filled(campaign_world, system):
    programme = campaign_world.zhejiang_programme
    doc = open_docx(work_rules_docx(programme, work_rules(programme)))
    assert [p.text for p in doc.paragraphs].count("（待填写）") == 7


def test_r104_the_word_document_prints_a_manual_table_with_its_reason(campaign_world, system):
    programme = campaign_world.zhejiang_programme
    approved_quota_table(campaign_world, {"330100": 55, "330200": 45}, "宁波市新增两个园区")
    doc = open_docx(work_rules_docx(programme, work_rules(programme)))
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[1:] == [["杭州市", "3", "55", "66"], ["宁波市", "2", "45", "54"], ["合计", "5", "100", "120"]]
    assert any("理由：宁波市新增两个园区" in p.text for p in doc.paragraphs)
