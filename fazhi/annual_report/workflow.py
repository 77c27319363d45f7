"""The report's transition table (pure; no database).

起草 → 审核 (单位负责人) → 报送 (RPT-03/04) → 公开 (RPT-01). A reviewed
report may go back to 起草 for changes; once sent it is fixed.

Guards:

* 审核 — every part of RPT-02 is written: no section still holds a
  “【待补充】” placeholder (``ctx["placeholders"]``: headings still open).
* 报送 — every recipient RPT-03 requires is named (``ctx["missing_recipients"]``).
* Both facts fail closed: a caller that does not give them is refused.
* 公开 — only after 报送 (RPT-01 publishes what was reported; the order of
  the transition table).
"""

from fazhi.annual_report.models import Status
from fazhi.annual_report.rules import RULE_CONTENTS, RULE_PUBLISH, RULE_RECIPIENTS, RULE_SUBMIT
from fazhi.core.workflow import Guard, Transition, Workflow, nothing

D, R, S, P = Status.DRAFT, Status.REVIEWED, Status.SUBMITTED, Status.PUBLISHED

PLACEHOLDER = "【待补充"


WORKFLOW = Workflow(
    "annual_report",
    (
        Transition("review", "审核通过", (D,), R,
                   guards=(Guard(RULE_CONTENTS,
                                 "报告内容不完整：仍有“【待补充】”的部分，须补充后才能审核（报告应包括上一年度主要举措和成效、"
                                 "存在的不足和原因、党政主要负责人履行第一责任人职责情况、下一年度工作安排、其他需要报告的事项）",
                                 nothing("placeholders")),),
                   rule=RULE_CONTENTS),
        Transition("return", "退回修改", (R,), D),
        Transition("submit", "报送", (R,), S,
                   guards=(Guard(RULE_RECIPIENTS,
                                 "报送对象不全：政府应报送同级党委、人大常委会和上一级政府；部门应报送本级党委、政府和上级主管部门",
                                 nothing("missing_recipients")),),
                   rule=RULE_SUBMIT),
        Transition("publish", "公开", (S,), P, rule=RULE_PUBLISH),
    ),
    state_labels=dict(Status.choices),
)

ACTIONS = {t.action: t for t in WORKFLOW.transitions}
