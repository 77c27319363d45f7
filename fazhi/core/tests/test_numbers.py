"""fazhi.core.models.allocate_number: 文号 gap-free and unique per series."""

import pytest
from django.db import transaction

from fazhi.core.errors import ValidationError
from fazhi.core.models import AllocatedNumber, NumberSequence, allocate_number, format_number
from fazhi.core.testing import run_in_threads

GOV = {"issuer": "重庆市大渡口区人民政府", "prefix": "渝大渡口府发"}


def take(year=2024, **kw):
    return allocate_number(**{**GOV, **kw}, year=year)


def test_the_number_text_follows_the_official_form():
    assert format_number("渝大渡口府发", 2024, 5) == "渝大渡口府发〔2024〕5号"


@pytest.mark.django_db
def test_numbers_count_up_from_one_per_series():
    assert [take().seq for _ in range(3)] == [1, 2, 3]
    assert AllocatedNumber.objects.get(seq=3).text == "渝大渡口府发〔2024〕3号"


@pytest.mark.django_db
def test_the_fifth_number_reads_as_issued():
    for _ in range(4):
        take()
    assert take(purpose="关于加强法治政府建设的意见").text == "渝大渡口府发〔2024〕5号"


@pytest.mark.django_db
def test_each_year_starts_again_at_one():
    take(2024), take(2024)
    assert take(2025).text == "渝大渡口府发〔2025〕1号"
    assert take(2024).seq == 3


@pytest.mark.django_db
def test_series_of_different_prefixes_are_independent():
    take(), take()
    other = allocate_number(issuer="重庆市大渡口区人民政府办公室", prefix="渝大渡口府办发", year=2024)
    assert other.text == "渝大渡口府办发〔2024〕1号"


@pytest.mark.django_db
def test_the_series_remembers_the_last_number():
    take(), take()
    assert NumberSequence.objects.get(**GOV, year=2024).last == 2


@pytest.mark.django_db
@pytest.mark.parametrize("kw", [{"issuer": ""}, {"prefix": ""}, {"year": 1899}, {"year": 3000}])
def test_bad_input_is_refused_in_chinese(kw):
    with pytest.raises(ValidationError):
        allocate_number(**{**GOV, "year": 2024, **kw})
    assert not AllocatedNumber.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        take()
    assert not AllocatedNumber.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_caller_leaves_no_gap():
    with transaction.atomic():
        take()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert take().seq == 2
        raise ZeroDivisionError  # the document that was to use the number fails to save
    with transaction.atomic():
        assert take().seq == 2  # the rolled-back number is reused
    assert list(AllocatedNumber.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_first_number_of_a_series_is_reused():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        take(2030)
        raise ZeroDivisionError
    with transaction.atomic():
        assert take(2030).text == "渝大渡口府发〔2030〕1号"


@pytest.mark.django_db
def test_a_rolled_back_savepoint_leaves_no_gap():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        take()
        raise ZeroDivisionError
    assert take().seq == 1


# --- real concurrency (PostgreSQL) -----------------------------------------------

THREADS, EACH = 8, 10




def _seqs(year):
    return sorted(AllocatedNumber.objects.filter(sequence__year=year).values_list("seq", flat=True))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_are_unique_and_gap_free_from_the_first_number():
    # The series does not exist yet: the first allocations race to create it.
    def allocate(i):
        for j in range(EACH):
            with transaction.atomic():
                take(2031, purpose=f"线程{i}-{j}")

    run_in_threads(allocate, THREADS)
    assert _seqs(2031) == list(range(1, THREADS * EACH + 1))
    assert NumberSequence.objects.get(**GOV, year=2031).last == THREADS * EACH
    assert NumberSequence.objects.filter(**GOV, year=2031).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_with_rollbacks_leave_no_gap():
    def allocate(i):
        for j in range(EACH):
            try:
                with transaction.atomic():
                    take(2032)
                    if (i + j) % 3 == 0:
                        raise ZeroDivisionError  # this caller fails and rolls back
            except ZeroDivisionError:
                pass

    run_in_threads(allocate, THREADS)
    committed = sum(1 for i in range(THREADS) for j in range(EACH) if (i + j) % 3 != 0)
    assert _seqs(2032) == list(range(1, committed + 1))


@pytest.mark.django_db
def test_two_issuers_sharing_a_prefix_get_a_clear_refusal_not_a_database_error():
    allocate_number(issuer="甲机关", prefix="渝大渡口府发", year=2024)
    with pytest.raises(ValidationError):
        allocate_number(issuer="乙机关", prefix="渝大渡口府发", year=2024)
