"""Flags of county screening (R-107, R-108): near-duplicate texts across the province, several cases of one
enterprise; the pair side by side, within what each org may read."""

import random

import pytest
from django.urls import reverse

from apps.cases.models import Case
from apps.core.scoping import scope, scopes_disabled
from apps.rounds import similarity
from apps.rounds.models import CaseFingerprint
from apps.rounds.selectors import entry_flags
from apps.rounds.tests.conftest import distinct_text, new_enterprise, submit

_WORD_LINE = ("企业 创新 数字化 平台 生产线 智能制造 研发 团队 技术 工艺 改造 质量 效率 成本 节约 市场 客户 服务 管理 组织 流程 "
              "协同 数据 模型 算法 设备 系统 产品 材料 能源 绿色 低碳 安全 检测 标准 专利 成果 转化 合作 高校 人才 培养 机制 "
              "激励 项目 投资 规模 效益 通过 实现 提升 降低 推动 建立 形成 开展 完善 加强 引进 自主 核心 关键 突破 应用 推广 "
              "示范 带动 行业 区域 产业链 供应链 上下游 柔性 精益 信息化 工业互联网 云计算 人工智能 物联网 大数据 传感器 机器人 "
              "自动化 数控 新能源 新材料 生物医药 集成电路 软件")
WORDS = _WORD_LINE.split()


def themed_text(rng: random.Random, length: int = 400) -> str:
    """A text on the campaign's common theme: the same words recur in every one, as in real case texts."""
    out: list[str] = []
    while sum(map(len, out)) < length:
        out.append(rng.choice(WORDS))
        if rng.random() < 0.15:
            out.append(rng.choice("，。、；"))
    return "".join(out)


def light_edit(rng: random.Random, text: str, every: int = 15) -> str:
    """A copy with one character in `every` replaced: what a copied case with small edits looks like."""
    chars = list(text)
    for _ in range(len(chars) // every):
        chars[rng.randrange(len(chars))] = rng.choice("的了是在有")
    return "".join(chars)


def test_r107_a_lightly_edited_copy_is_a_near_duplicate_and_a_different_text_is_not():
    rng = random.Random(1)
    original, other = themed_text(rng), themed_text(rng)
    copy = light_edit(rng, original)
    pairs, _stats = similarity.near_duplicates({1: original, 2: copy, 3: other})
    assert [(p.a, p.b) for p in pairs] == [(1, 2)]
    assert pairs[0].similarity >= similarity.THRESHOLD
    assert similarity.jaccard(similarity.shingle_hashes(original), similarity.shingle_hashes(other)) < 0.2


def test_punctuation_spaces_and_full_width_forms_do_not_count():
    a = similarity.shingle_hashes("数字孪生，驱动ＡＢ产线改造。")
    b = similarity.shingle_hashes("数字孪生 驱动 ab 产线改造")
    assert a == b


def test_r107_the_index_finds_planted_pairs_among_3000_texts_with_few_comparisons():
    """LSH banding: ~3,000 themed texts give a few hundred candidate pairs, not n²/2 ≈ 4.5 million."""
    rng = random.Random(7)
    texts = {i: themed_text(rng) for i in range(3000)}
    planted = {(k, 3000 + k) for k in range(20)}
    for k in range(20):
        texts[3000 + k] = light_edit(rng, texts[k])
    pairs, stats = similarity.near_duplicates(texts)
    n = len(texts)
    assert {(p.a, p.b) for p in pairs} == planted
    assert stats.candidates < n * 2  # measured: ~340; all pairs would be n(n-1)/2 = 4,558,690
    assert stats.candidates < n * (n - 1) // 2 // 1000


@pytest.fixture
def world(campaign):
    with scopes_disabled():
        yield campaign


@pytest.fixture
def copied(world):
    """西湖区's case, and a copy of it (new title, same body) recommended in 上城区."""
    mine = submit(world, title="数字孪生驱动的柔性产线改造")
    theirs = submit(world, county=world.shangcheng, recommender=world.shangcheng_park, title="柔性产线数字孪生改造实践",
                    **{name: getattr(mine.case, name) for name in ("abstract", "background", "practice",
                                                                     "innovation", "results", "insights")})
    return mine, theirs


def test_r107_a_near_duplicate_in_another_county_is_flagged_with_its_title_and_county_only(world, copied):
    mine, theirs = copied
    submit(world)  # an honest case: no flag
    with scope(org=world.xihu):
        entries = list(mine.round.entries.select_related("case"))
        flags = entry_flags(mine.round, entries)
    similar = [f for f in flags[mine.pk] if f.kind == "similar"]
    assert len(similar) == 1
    flag = similar[0]
    assert flag.other_id == theirs.case_id and flag.other_county == "上城区" and flag.other_visible is False
    assert flag.similarity >= similarity.THRESHOLD
    assert [f for e in entries if e.pk != mine.pk for f in flags[e.pk]] == []


def test_the_city_sees_both_cases_of_a_pair_in_its_counties(world, copied):
    mine, _theirs = copied
    with scope(org=world.hangzhou):
        flags = entry_flags(mine.round, [mine])
    assert [f.other_visible for f in flags[mine.pk]] == [True]


def test_r108_several_cases_of_one_enterprise_are_flagged_but_allowed(world):
    enterprise = new_enterprise(world, world.xihu)
    a = submit(world, enterprise=enterprise)
    b = submit(world, enterprise=enterprise, recommender=world.xihu_ent)
    c = submit(world)
    with scope(org=world.xihu):
        flags = entry_flags(a.round, [a, b, c])
    assert [f.rule for f in flags[a.pk]] == ["R-108"] and "2件案例" in flags[a.pk][0].text
    assert [f.rule for f in flags[b.pk]] == ["R-108"]
    assert flags[c.pk] == []


def test_fingerprints_are_stored_and_recomputed_when_a_case_changes(world, copied):
    mine, theirs = copied
    assert similarity.flagged_pairs(world.zhejiang_programme, [mine.case_id])
    assert CaseFingerprint.plain.filter(case_id__in=[mine.case_id, theirs.case_id]).count() == 2
    case = Case.plain.get(pk=theirs.case_id)
    for i, name in enumerate(("abstract", "background", "practice", "innovation", "results", "insights")):
        setattr(case, name, distinct_text(900 + i))
    case.save()
    assert similarity.flagged_pairs(world.zhejiang_programme, [mine.case_id]) == []
    assert CaseFingerprint.plain.get(case_id=case.pk).case_updated_at == case.updated_at


def test_highlight_marks_the_shared_passages():
    shared, _score = similarity.shared_shingles("甲乙丙丁戊己庚", "丙丁戊，子丑寅")
    runs = similarity.highlight("甲乙丙丁戊己庚", shared)
    assert runs == [("甲乙", False), ("丙丁戊", True), ("己庚", False)]


# -- the pair page ------------------------------------------------------------------------------

def pair_url(entry, other):
    return reverse("rounds:similar_pair", args=[entry.round_id, entry.case_id, other.case_id])


def test_the_county_sees_its_own_text_and_only_the_title_and_county_of_the_other(client, world, copied):
    mine, theirs = copied
    with scopes_disabled():
        Case.plain.filter(pk=theirs.case_id).update(economic_benefits="上城区独有的效益说明")
        Case.plain.filter(pk=theirs.case_id).update(results=theirs.case.results + "上城区独有的成效段落")
    client.force_login(world.xihu_admin)
    page = client.get(pair_url(mine, theirs)).content.decode()
    assert "柔性产线数字孪生改造实践" in page and "上城区" in page
    assert "<mark>" in page
    assert "上城区独有的成效段落" not in page and "正文不在本单位的查看范围内" in page


def test_the_city_sees_the_pair_side_by_side(client, world, copied):
    mine, theirs = copied
    client.force_login(world.hangzhou_admin)
    page = client.get(pair_url(mine, theirs)).content.decode()
    assert page.count('class="pair-text"') >= 2 * 7 - 2  # both sides, every field with text
    assert "正文不在本单位的查看范围内" not in page


def test_a_pair_that_is_not_similar_answers_404(client, world, copied):
    mine, _theirs = copied
    honest = submit(world, county=world.shangcheng, recommender=world.shangcheng_park)
    client.force_login(world.xihu_admin)
    assert client.get(pair_url(mine, honest)).status_code == 404


def test_a_pair_outside_the_round_answers_404(client, world, copied):
    mine, theirs = copied
    third = submit(world, county=world.shangcheng, recommender=world.shangcheng_park,
                   **{name: getattr(theirs.case, name) for name in ("abstract", "background", "practice")})
    client.force_login(world.xihu_admin)
    url = reverse("rounds:similar_pair", args=[mine.round_id, theirs.case_id, third.case_id])
    assert client.get(url).status_code == 404
