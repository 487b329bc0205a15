"""The audit log in sentences an official reads: 「浙江省管理员 于 2026-12-06 10:21 锁定了 浙江省 · 宣讲案例遴选 的名单」.

Each action the services record has a phrase here, with the row's object as %(target)s; the raw row (action
code, data, hashes) stays one click away on the page. A test checks that every action recorded anywhere in the
code has a phrase, so a new action cannot show up as a code.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L

PHRASES = {
    "api_token.create": L("生成了接口令牌"),
    "approval.approve": L("审核通过了%(target)s"),
    "approval.return": L("退回了%(target)s"),
    "approval.submit": L("报送审核%(target)s"),
    "approval.withdraw": L("撤回了待审核的%(target)s"),
    "api_token.revoke": L("撤销了接口令牌"),
    "assignment.add": L("为%(target)s增加了评审专家"),
    "assignment.conflict": L("就%(target)s声明回避"),
    "assignment.decline": L("谢绝评审%(target)s"),
    "assignment.remove": L("撤回了%(target)s的评审分配"),
    "attachment.add": L("为%(target)s上传了附件"),
    "attachment.remove": L("删除了%(target)s的附件"),
    "campaign.bounds_update": L("修改了%(target)s的规则上下限"),
    "campaign.create": L("创建了活动%(target)s"),
    "campaign.settings": L("修改了%(target)s的经费、实施期或故事集设置"),
    "case.create": L("新建了案例%(target)s"),
    "case.export": L("导出了%(target)s的案例列表"),
    "case.import": L("导入了线下收集的案例（%(target)s）"),
    "case.save": L("保存了案例%(target)s"),
    "case.submit": L("提交了案例%(target)s"),
    "case.withdraw": L("撤回了案例%(target)s"),
    "case_invite.create": L("为案例%(target)s生成了填写邀请链接"),
    "case_invite.revoke": L("撤销了案例%(target)s的填写邀请链接"),
    "disagreement.resolve": L("处理了%(target)s的评分分歧"),
    "enterprise.create": L("登记了企业%(target)s"),
    "enterprise.little_giant": L("确认了%(target)s的“小巨人”批次"),
    "enterprise.update": L("修改了企业%(target)s的信息"),
    "expert.invite": L("邀请%(target)s加入专家库"),
    "expert.invite_revoke": L("撤销了对%(target)s的专家邀请"),
    "expert.join": L("接受邀请，加入了%(target)s"),
    "expert.profile": L("修改了专家信息（%(target)s）"),
    "littlegiant.import": L("导入了“小巨人”名单（%(target)s）"),
    "littlegiant.rematch": L("重新匹配了“小巨人”名单（%(target)s）"),
    "littlegiant.resolve": L("处理了“小巨人”名单的匹配（%(target)s）"),
    "meeting.cases": L("设定了宣讲会%(target)s的案例"),
    "meeting.create": L("创建了宣讲会%(target)s"),
    "meeting.finish": L("结束了宣讲会%(target)s"),
    "meeting.judge": L("增加了宣讲会评委（%(target)s）"),
    "meeting.judge_link": L("重新生成了评委二维码（%(target)s）"),
    "meeting.present": L("切换了宣讲会台上的案例（%(target)s）"),
    "membership.add": L("使%(target)s生效"),
    "membership.invitation_decline": L("拒绝了邀请（%(target)s）"),
    "membership.invitation_revoke": L("撤回了邀请（%(target)s）"),
    "membership.invite": L("发出了邀请（%(target)s）"),
    "membership.remove": L("移除了%(target)s"),
    "message.read": L("阅读了消息%(target)s"),
    "notice.issue": L("发布了通知%(target)s"),
    "notice.remind": L("就通知%(target)s发出提醒"),
    "notice_delivery.acknowledge": L("确认收到通知（%(target)s）"),
    "notice_delivery.forward": L("转发了通知（%(target)s）"),
    "org.create": L("新建了单位%(target)s"),
    "org.import": L("导入了%(target)s的下级单位"),
    "pool.add": L("将%(target)s加入专家库"),
    "pool.update": L("修改了专家库成员%(target)s"),
    "programme.update": L("修改了项目%(target)s"),
    "programme.application": L("更新了%(target)s的申报条件"),
    "quota.manual_clear": L("取消了%(target)s的手工名额表"),
    "quota.manual_set": L("设定了%(target)s的手工名额表"),
    "ranking.snapshot": L("保存了%(target)s的评分排名"),
    "review.assign": L("为%(target)s分配了评审专家"),
    "review.configure": L("修改了%(target)s的评审设置"),
    "review.remind": L("提醒%(target)s的评审专家尽快评分"),
    "review.scores_export": L("导出了%(target)s的评分表"),
    "review.sheet_pdf": L("打印了评分表（%(target)s）"),
    "round.create": L("创建了%(target)s"),
    "round.deadline": L("修改了%(target)s的截止日期"),
    "round.receive": L("收到了案例（%(target)s）"),
    "round.send": L("上报了%(target)s的名单"),
    "round.transition": L("改变了%(target)s的状态"),
    "round.withdraw": L("从%(target)s撤回了案例"),
    "round_entry.decide": L("对%(target)s作出了决定"),
    "rulebook.update": L("修改了%(target)s的规则"),
    "selection.configure": L("修改了%(target)s的名单设置"),
    "selection.list_adopt": L("采用了%(target)s的推荐名单"),
    "selection.list_set": L("调整了%(target)s的名单"),
    "selection.lock": L("锁定了%(target)s的名单并公示"),
    "selection.objection": L("收到公众对%(target)s的异议"),
    "selection.objection_answer": L("答复了异议（%(target)s）"),
    "selection.pin": L("在%(target)s中指定了案例"),
    "selection.unlock": L("解锁了%(target)s的名单"),
    "selection.unpin": L("取消了%(target)s中的指定"),
    "sheet.save": L("暂存了评分表（%(target)s）"),
    "sheet.submit": L("提交了评分表（%(target)s）"),
    "unit.remind": L("催办了%(target)s"),
    "user.create": L("新建了账号%(target)s"),
    "user.password_change": L("修改了自己的密码"),
    "user.password_reset": L("重置了%(target)s的密码"),
    "voting.certify": L("认证了网络投票结果（%(target)s）"),
    "voting.export": L("导出了投票记录（%(target)s）"),
    "voting.invalidate": L("认定了无效投票（%(target)s）"),
    "voting.invalidation_revert": L("恢复了被认定无效的投票（%(target)s）"),
    "voting.poll_save": L("保存了网络投票设置（%(target)s）"),
    "work_rules.update": L("修改了工作细则（%(target)s）"),
    "presenter.add": L("添加了宣讲人%(target)s"),
    "presenter.replace": L("更换了宣讲人，新宣讲人为%(target)s"),
    "event.create": L("登记了宣讲活动%(target)s"),
    "event.update": L("修改了宣讲活动%(target)s的方案"),
    "event.file_add": L("为宣讲活动%(target)s上传了文件"),
    "event.file_remove": L("删除了宣讲活动%(target)s的文件"),
    "event.held": L("将宣讲活动%(target)s标记为已举办"),
    "event.report": L("填写了宣讲活动%(target)s的活动报告"),
    "media_report.add": L("登记了媒体报道%(target)s"),
    "media_report.remove": L("删除了媒体报道%(target)s"),
    "topic_video.add": L("上传了专题视频%(target)s"),
    "story.save": L("保存了案例故事%(target)s"),
    "story.move": L("更改了案例故事%(target)s的状态"),
    "case_collection.request": L("开始生成案例集%(target)s"),
    "exhibit.propose": L("申报了展品%(target)s"),
    "exhibit.update": L("修改了展品%(target)s"),
    "exhibit.shortlist": L("将展品%(target)s列入省级推荐并报送中心"),
    "exhibit.decline": L("未推荐展品%(target)s"),
    "media_contact.add": L("登记了媒体联系人%(target)s"),
    "media_contact.update": L("修改了媒体联系人%(target)s"),
    "channel_use.add": L("登记了品牌项目渠道使用%(target)s"),
    "channel_use.remove": L("删除了品牌项目渠道使用%(target)s"),
    "publication.submit": L("报送发布%(target)s"),
    "publication.take_down": L("从活动专栏撤下%(target)s"),
    "topic_item.save": L("保存了专栏图文%(target)s"),
    "book.update": L("修改了故事集设置%(target)s"),
    "book.build": L("开始生成%(target)s"),
    "book.print": L("登记了故事集印刷%(target)s"),
    "brand_deliverable.add": L("上传了品牌项目成果%(target)s"),
    "overview_report.add": L("登记了综述报道%(target)s"),
    "overview_report.refresh": L("重新生成了综述报道%(target)s的数据包"),
    "budget.submit": L("报送了%(target)s"),
    "expense.add": L("记账：支出%(target)s"),
    "expense.reverse": L("冲销：%(target)s"),
    "expense.clear_risk": L("核实了委托业务支出%(target)s，移出关注清单"),
}

# The filter on the log page: what an official looks for, by the first part of the action code.
AREAS = {
    "case": L("案例"), "case_invite": L("案例"), "attachment": L("案例"),
    "round": L("筛查与遴选"), "round_entry": L("筛查与遴选"),
    "selection": L("名单与公示"),
    "review": L("专家评审"), "assignment": L("专家评审"), "sheet": L("专家评审"), "ranking": L("专家评审"),
    "disagreement": L("专家评审"), "pool": L("专家评审"), "expert": L("专家评审"), "meeting": L("专家评审"),
    "voting": L("网络投票"),
    "notice": L("通知"), "notice_delivery": L("通知"), "message": L("通知"), "unit": L("通知"),
    "org": L("组织与人员"), "membership": L("组织与人员"), "user": L("组织与人员"), "api_token": L("组织与人员"),
    "campaign": L("活动与规则"), "programme": L("活动与规则"), "rulebook": L("活动与规则"), "quota": L("活动与规则"),
    "work_rules": L("活动与规则"), "approval": L("审核"),
    "enterprise": L("企业"), "littlegiant": L("企业"),
    "event": L("宣讲活动"), "presenter": L("宣讲活动"), "media_report": L("宣传"), "topic_video": L("宣传"), "story": L("宣传"),
    "case_collection": L("宣传"), "exhibit": L("展品"), "publication": L("发布"), "topic_item": L("发布"), "book": L("故事集"),
    "media_contact": L("品牌项目"), "channel_use": L("品牌项目"),
    "brand_deliverable": L("品牌项目"), "overview_report": L("品牌项目"),
    "budget": L("经费"), "expense": L("经费"),
}


def area_choices() -> list[tuple[str, str]]:
    """(label, comma-separated prefixes) once per area, in the order above."""
    seen: dict[str, list[str]] = {}
    for prefix, label in AREAS.items():
        seen.setdefault(str(label), []).append(prefix)
    return [(label, ",".join(prefixes)) for label, prefixes in seen.items()]


def sentence(action: str, target_label: str) -> str:
    """What the row says happened, without its actor and time (the page puts them first)."""
    phrase = PHRASES.get(action)
    if phrase is None:
        return _("进行了操作“%(action)s”（%(target)s）") % {"action": action, "target": target_label or "—"}
    text = str(phrase)
    return text % {"target": target_label or "—"} if "%(target)s" in text else text
