"""``python manage.py demo_volume --units 60 --year 2025`` — a district with N
units and a year of records in every module, for the performance benchmark
(benchmarks/assessment_report.py).

**It bypasses the services on purpose**: rows are written with bulk inserts
(no workflow checks, no audit entries, deadlines approximated in calendar
days instead of through fazhi.workdays) because only volume matters here and
the services would take minutes. The data is therefore *not* a legal record
and **must never be written into a production database**: the command
refuses unless settings.DEBUG is on or ``--i-know-this-is-not-production``
is given. Everything is created under a new government unit
"压测区<tag>人民政府" (refused if it exists), in one transaction.

Per unit: 10 officers (people, accounts, officer role, certificates — one
expired), 4 training sessions with attendance, 8 published normative
documents (reviews, filings — some late or missing), 2 major decisions with
their procedure records, ``--cases`` closed penalty cases (10 % major, with
legal reviews and publications — some late), and 3 ledger measures when the
ledger app is installed.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fazhi.org.models import Person, Role, RoleAssignment, Unit, UnitKind


def _d(year: int, rng: random.Random, lo: int = 0, hi: int = 330) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randint(lo, hi))


class Command(BaseCommand):
    help = "生成压测数据：一个含 N 个单位、一年业务记录的区（仅限开发/测试数据库）"

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=60)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--cases", type=int, default=100, help="每单位行政处罚案件数")
        parser.add_argument("--tag", default="", help="区名后缀（默认为年度）")
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument("--i-know-this-is-not-production", action="store_true", dest="not_production")

    def handle(self, *args, units: int, year: int, cases: int, tag: str, seed: int, not_production: bool,
               **kw):
        if not (settings.DEBUG or not_production):
            raise CommandError("demo_volume 以批量插入绕过业务规则和留痕，只能用于开发或压测数据库；"
                               "确认不是生产库时请加 --i-know-this-is-not-production")
        if not 1 <= units <= 500 or not 2000 <= year <= 2100 or not 0 <= cases <= 10000:
            raise CommandError("参数无效：--units 1–500，--year 2000–2100，--cases 0–10000")
        tag = tag or str(year)
        name = f"压测区{tag}人民政府"
        if Unit.objects.filter(name=name).exists():
            raise CommandError(f"{name} 已存在；换一个 --tag 或使用新的数据库")
        rng = random.Random(seed)
        with transaction.atomic():
            gov, depts = self._units(name, tag, units)
            people = self._people(tag, depts)
            self._training(year, rng, depts, people)
            self._enforcement(year, rng, depts, people, cases, tag)
            self._normdocs(year, rng, depts, tag)
            self._decisions(year, rng, gov, depts)
            if apps.is_installed("fazhi.ledger"):
                self._ledger(year, rng, gov, depts)
        self.stdout.write(f"已生成：{name}（ID {gov.pk}），下属 {len(depts)} 个单位，{year} 年度记录")

    # ------------------------------------------------------------ units
    def _units(self, name, tag, n):
        from fazhi.org.services import segment

        gov = Unit.objects.create(name=name, short_name=f"压测区{tag}", kind=UnitKind.GOVERNMENT)
        Unit.objects.filter(pk=gov.pk).update(path=segment(gov.pk), depth=0)
        gov.refresh_from_db()
        depts = Unit.objects.bulk_create([
            Unit(name=f"压测区{tag}第{i + 1:03d}单位", short_name=f"第{i + 1:03d}单位", parent=gov,
                 kind=UnitKind.TOWN if i % 5 == 4 else UnitKind.DEPARTMENT) for i in range(n)])
        if any(u.pk is None for u in depts):  # a backend without RETURNING
            depts = list(Unit.objects.filter(parent=gov).order_by("pk"))
        for u in depts:
            u.path, u.depth = gov.path + segment(u.pk), 1
        Unit.objects.bulk_update(depts, ["path", "depth"])
        return gov, depts

    def _people(self, tag, depts):
        User = get_user_model()
        pw = make_password(None)
        users = User.objects.bulk_create([User(username=f"v{tag}_{u.pk}_{i}", password=pw)
                                          for u in depts for i in range(10)])
        users = {x.username: x for x in User.objects.filter(username__startswith=f"v{tag}_")}
        persons = Person.objects.bulk_create([
            Person(user=users[f"v{tag}_{u.pk}_{i}"], name=f"执法员{u.pk}-{i}", unit=u, post="执法队员")
            for u in depts for i in range(10)])
        RoleAssignment.objects.bulk_create([RoleAssignment(person=p, role=Role.OFFICER, unit=p.unit)
                                            for p in persons])
        by_unit = {}
        for p in persons:
            by_unit.setdefault(p.unit_id, []).append(p)
        return by_unit

    # --------------------------------------------------------- training
    def _training(self, year, rng, depts, people):
        from fazhi.training.models import Attendance, Kind, Status, TrainingSession

        sessions = TrainingSession.objects.bulk_create([
            TrainingSession(unit=u, topic=f"年度执法培训第{k + 1}期", date=date(year, 3 * k + 2, 15), hours=Decimal("16"),
                            kind=Kind.LAW, status=Status.HELD) for u in depts for k in range(4)])
        rows = []
        for s in sessions:
            for p in people[s.unit_id]:
                attended = rng.random() < 0.85
                rows.append(Attendance(session=s, person=p, attended=attended,
                                       hours=s.hours if attended else Decimal("0"), session_hours=s.hours))
        Attendance.objects.bulk_create(rows, batch_size=2000)

    # ------------------------------------------------------ enforcement
    def _enforcement(self, year, rng, depts, people, n_cases, tag):
        from fazhi.enforcement.models import (
            CaseStatus,
            Certificate,
            LegalReview,
            Officer,
            PartyKind,
            PenaltyCase,
            Procedure,
            PublicationRecord,
            PublicationStatus,
        )

        officers = Officer.objects.bulk_create([Officer(person=p, unit=p.unit) for ps in people.values() for p in ps])
        Certificate.objects.bulk_create([
            Certificate(officer=o, unit_id=o.unit_id, number=f"V{tag}{o.person_id:08d}", issuing_authority="示范省人民政府",
                        field="综合执法", valid_from=date(year - 3, 1, 1),
                        valid_to=date(year - 1, 6, 30) if i % 10 == 9 else date(year + 3, 12, 31))
            for i, o in enumerate(officers)], batch_size=2000)
        cases = []
        for u in depts:
            for i in range(n_cases):
                filed = _d(year, rng, 0, 200)
                due = filed + timedelta(days=90)
                decided = filed + timedelta(days=rng.randint(20, 100 if i % 20 == 0 else 85))
                major = i % 10 == 0
                cases.append(PenaltyCase(
                    unit=u, procedure=Procedure.GENERAL, status=CaseStatus.CLOSED, case_no=f"V{tag}立{u.pk}-{i}",
                    cause="违法经营", party_kind=PartyKind.ORG, party_name=f"压测企业{i}", discovered_on=filed,
                    filed_on=filed, decision_due=due, decision_rule="ENF-08 90日", is_complex=major,
                    legal_review_required=major, decided_on=decided, decision_no=f"V{tag}决{u.pk}-{i}",
                    penalty_kinds="罚款", fine_amount=Decimal("5000"), served_on=decided + timedelta(days=2),
                    executed_on=decided + timedelta(days=10), closed_on=decided + timedelta(days=12)))
        cases = PenaltyCase.objects.bulk_create(cases, batch_size=2000)
        if any(c.pk is None for c in cases):
            cases = list(PenaltyCase.objects.filter(case_no__startswith=f"V{tag}立"))
        LegalReview.objects.bulk_create([
            LegalReview(case=c, result=LegalReview.Result.PASSED, opinion="同意",
                        reviewed_on=c.decided_on - timedelta(days=3 if k % 10 else -2), reviewer_name="审核员")
            for k, c in enumerate(c for c in cases if c.is_complex)], batch_size=2000)
        pubs = []
        for k, c in enumerate(cases):
            due = c.decided_on + timedelta(days=9)
            late = k % 15 == 0
            pubs.append(PublicationRecord(
                case=c, unit_id=c.unit_id, status=PublicationStatus.PUBLISHED, decision_date=c.decided_on, due=due,
                due_rule="ENF-19 7个工作日", title=f"行政处罚决定（{c.decision_no}）", content="压测公示内容",
                published_on=due + timedelta(days=3) if late else c.decided_on + timedelta(days=2)))
        PublicationRecord.objects.bulk_create(pubs, batch_size=2000)

    # ------------------------------------------------------- normative docs
    def _normdocs(self, year, rng, depts, tag):
        from fazhi.normative_docs.models import (
            DocVersion,
            Filing,
            FilingStatus,
            LegalOpinion,
            LegalReview,
            NormDoc,
            Status,
        )

        docs = []
        for u in depts:
            for i in range(8):
                pub = _d(year, rng, 10, 330)
                docs.append(NormDoc(unit=u, issuer=u, issuer_level="department", title=f"压测管理办法{u.pk}-{i}",
                                    status=Status.PUBLISHED, published_on=pub, effective_on=pub + timedelta(days=30),
                                    registration_no=f"V{tag}GS-{u.pk}-{i}", doc_number=f"压测{tag}发{u.pk}-{i}",
                                    registered_on=pub, filing_due=pub + timedelta(days=15),
                                    filing_rule="NDOC-12 15个自然日",
                                    filing_status=FilingStatus.NOT_FILED if i == 7 else FilingStatus.FILED))
        docs = NormDoc.objects.bulk_create(docs, batch_size=2000)
        if any(d.pk is None for d in docs):
            docs = list(NormDoc.objects.filter(registration_no__startswith=f"V{tag}GS-"))
        versions = DocVersion.objects.bulk_create([DocVersion(doc=d, number=1, text="第一条 压测。") for d in docs])
        LegalReview.objects.bulk_create([
            LegalReview(doc=d, version=v, accepted_on=d.published_on - timedelta(days=30),
                        due=d.published_on - timedelta(days=10), due_rule="NDOC-08 15个工作日",
                        opinion=LegalOpinion.PASS, decided_on=d.published_on - timedelta(days=20))
            for k, (d, v) in enumerate(zip(docs, versions, strict=True)) if k % 8 != 6])
        Filing.objects.bulk_create([
            Filing(doc=d, to_name="上级人民政府", filed_on=d.filing_due + timedelta(days=5 if k % 8 == 5 else -3),
                   due=d.filing_due, on_time=k % 8 != 5, package={"report": True})
            for k, d in enumerate(docs) if k % 8 != 7])

    # --------------------------------------------------------- decisions
    def _decisions(self, year, rng, gov, depts):
        from fazhi.major_decisions.models import (
            Catalogue,
            CatalogueEntry,
            CatalogueStatus,
            Category,
            Consultation,
            Decision,
            Discussion,
            HeadDecision,
            LegalOpinion,
            LegalReview,
            MeetingType,
            Status,
        )

        cat = Catalogue.objects.create(unit=gov, year=year, title=f"{gov.name}{year}年度重大行政决策事项目录",
                                       status=CatalogueStatus.PUBLISHED, party_consent_on=date(year, 2, 1),
                                       approved_on=date(year, 2, 5), published_on=date(year, 2, 10), version=1)
        entries = CatalogueEntry.objects.bulk_create([
            CatalogueEntry(catalogue=cat, seq=k + 1, title=f"压测决策事项{k + 1}", category=Category.PUBLIC_POLICY,
                           sponsor_unit=u, needs_participation=True)
            for k, u in enumerate(u for u in depts for _ in range(2))])
        decisions = Decision.objects.bulk_create([
            Decision(unit=gov, entry=e, sponsor_unit=e.sponsor_unit, title=e.title, category=e.category,
                     status=Status.DECIDED, needs_participation=True, launched_on=date(year, 3, 1),
                     draft_text="草案", decided_on=_d(year, rng, 120, 330)) for e in entries])
        Consultation.objects.bulk_create([
            Consultation(decision=d, draft_text="征求意见稿", start_on=date(year, 3, 10), end_on=date(year, 4, 10),
                         min_end_on=date(year, 4, 9), min_rule="MDEC-04 30日", state=Consultation.State.CLOSED,
                         closed_on=date(year, 4, 11), summary="采纳情况", summary_published_on=date(year, 4, 12))
            for k, d in enumerate(decisions) if k % 7 != 3])
        LegalReview.objects.bulk_create([
            LegalReview(decision=d, submitted_on=date(year, 4, 15), due=date(year, 4, 24), due_rule="MDEC-09",
                        opinion=LegalOpinion.LAWFUL, decided_on=date(year, 4, 25)) for d in decisions])
        Discussion.objects.bulk_create([
            Discussion(decision=d, meeting_type=MeetingType.STANDING, meeting_name="常务会议", held_on=d.decided_on,
                       head_decision=HeadDecision.ADOPT) for d in decisions])

    # ------------------------------------------------------------ ledger
    def _ledger(self, year, rng, gov, depts):
        from fazhi.ledger.models import Area, Measure, Plan, PlanStatus

        plan = Plan.objects.create(unit=gov, title=f"{gov.name}法治政府建设实施方案", year_start=year, year_end=year,
                                   source_sha256="0" * 64, status=PlanStatus.ACTIVE)
        area = Area.objects.create(plan=plan, seq=1, title="依法全面履行政府职能")
        rows = []
        for k, u in enumerate(u for u in depts for _ in range(3)):
            deadline = _d(year, rng, 60, 330)
            done = k % 6 != 0
            completed = deadline - timedelta(days=5) if done and k % 6 != 1 else (
                deadline + timedelta(days=10) if done else None)
            rows.append(Measure(plan=plan, area=area, number=k + 1, title=f"压测措施{k + 1}", text="措施内容",
                                lead_unit=u, deadline=deadline, due_on=deadline, progress=100 if done else 50,
                                completed_on=completed))
        Measure.objects.bulk_create(rows, batch_size=2000)
