"""Payment and execution (ENF-14).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from fazhi.core.errors import ValidationError
from fazhi.enforcement import rules
from fazhi.enforcement.models import Payment, PaymentMethod, PenaltyCase, Procedure
from fazhi.enforcement.services.common import (
    _act,
    _check,
    _choice,
    _clean,
    _date,
    _entered,
    _lock_case,
    _money,
)
from fazhi.enforcement.services.facts import _fine_payments, amount_paid, case_context
from fazhi.enforcement.workflow import CASE_WORKFLOW


@transaction.atomic
def record_payment(case: PenaltyCase, *, by, today: date, paid_on: date, amount, bank_receipt_no: str,
                   surcharge=None, method: str = PaymentMethod.BANK, handed_over_on: date | None = None,
                   late_reason: str = "") -> Payment:
    """Record a payment of the fine (罚缴分离, ENF-12/14): a bank payment with the
    bank's receipt number; cash only under the summary procedure for fines
    up to 100 yuan, with the official receipt number. ``paid_on`` is the date
    on the receipt, entered (SYS-03): not before the decision was served, not
    after today. ``surcharge`` defaults to the late-payment surcharge owed on
    the unpaid part when the fine is settled (ENF-14)."""
    case = _lock_case(case)
    when = _entered(paid_on, today=today, label="缴款日期", field="paid_on",
                    after=[(case.decided_on, "决定日期"), (case.served_on, "送达日期")], reason=late_reason)
    paid_on = when.value
    _check(case, "record_payment", by, paid_on)
    method = _choice(method, PaymentMethod, "method", "缴款方式")
    receipt = _clean(bank_receipt_no, 60, "bank_receipt_no", "银行缴款凭证号", required=True)
    amount = _money(amount, "amount", "缴款金额")
    if method == PaymentMethod.ON_SPOT_CASH:
        if case.procedure != Procedure.SUMMARY or case.fine_amount > rules.get("cash_max"):
            raise ValidationError(f"罚缴分离：只有当场处罚且罚款{rules.get('cash_max')}元以下的可以当场收缴现金，"
                                  "其余须由当事人到银行缴纳", rule="ENF-12", fields={"method": "不得收取现金"})
        if handed_over_on is not None:
            handed_over_on = _entered(handed_over_on, today=today, label="交至行政机关日期", field="handed_over_on",
                                      after=[(paid_on, "缴款日期")], reason=late_reason).value
    else:
        handed_over_on = None
    if Payment.objects.filter(bank_receipt_no=receipt).exists():
        raise ValidationError(f"缴款凭证号“{receipt}”已登记", fields={"bank_receipt_no": "凭证号重复"})
    paid, paid_surcharge = amount_paid(case)
    if paid + amount > case.fine_amount:
        raise ValidationError(f"缴款金额超过应缴罚款（应缴{case.fine_amount}元，已缴{paid}元）",
                              fields={"amount": "金额过大"})
    if surcharge is None:
        surcharge = Decimal(0)
        if case.payment_due and paid + amount >= case.fine_amount:
            owed = rules.surcharge(case.fine_amount, case.payment_due, paid_on,
                                   [*_fine_payments(case), (paid_on, amount)])
            surcharge = max(owed - paid_surcharge, Decimal("0.00"))
    surcharge = _money(surcharge, "surcharge", "加处罚款", required=False)
    if amount == 0 and surcharge == 0:
        raise ValidationError("缴款金额不能为0", fields={"amount": "请填写金额"})
    pay = Payment.objects.create(case=case, method=method, amount=amount, surcharge=surcharge, paid_on=paid_on,
                                 bank_receipt_no=receipt, handed_over_on=handed_over_on, recorded_by=by)
    _act(case, "case", "payment_recorded", by=by, data={"amount": amount, "surcharge": surcharge, "paid_on": paid_on,
                                                        "receipt": receipt, "method": method, **when.audit_data()})
    return pay


@transaction.atomic
def complete_execution(case: PenaltyCase, *, by, today: date) -> PenaltyCase:
    """执行完毕: the fine and any surcharge are paid (ENF-14)."""
    case = _lock_case(case)
    today = _date(today, "today", "日期")
    _check(case, "complete_execution", by, today)
    case.executed_on = today
    CASE_WORKFLOW.apply(case, "complete_execution", case_context(case, today))
    case.save()
    _act(case, "case", "executed", by=by, data={"on": today})
    return case
