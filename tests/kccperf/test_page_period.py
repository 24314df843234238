from django.contrib.sessions.backends.db import SessionStore
from django.urls import resolve

from kccperf.converters import period_paths
from kccperf.page_period import SESSION_KEY, page_quarter
from kccperf.periods import Quarter
from tests.factories import make_period


def _request(rf, path="/"):
    request = rf.get(path)
    request.session = SessionStore()
    return request


def test_the_views_period_wins_without_a_query(rf, db, django_assert_num_queries):
    request = _request(rf)
    with django_assert_num_queries(0):
        assert page_quarter(request, Quarter(2018, 3)) == Quarter(2018, 3)


def test_the_urls_period_is_used_when_the_view_does_not_pass_it(rf, settings):
    settings.ROOT_URLCONF = "tests.kccperf.period_urls"
    request = _request(rf, "/thing/2019-20-q1/detail/")
    request.resolver_match = resolve(request.path_info)
    assert page_quarter(request) == Quarter(2019, 1)


def test_the_default_is_a_plain_quarter_worked_out_once_per_request(
    rf, db, django_assert_num_queries
):
    make_period("Q1 2019/20")
    make_period("Q2 2019/20")
    request = _request(rf)
    with django_assert_num_queries(1):  # the reporting periods on record
        first = page_quarter(request)
        second = page_quarter(request)
    assert type(first) is Quarter and first == second == Quarter(2019, 2)


def test_the_period_chosen_in_the_switcher_needs_no_query(rf, db, django_assert_num_queries):
    request = _request(rf)
    request.session[SESSION_KEY] = "2018-19-q4"
    with django_assert_num_queries(0):
        assert page_quarter(request) == Quarter(2018, 4)


def test_period_paths_register_a_page_with_and_without_its_period():
    def view(request, period=None):
        raise AssertionError("not called")

    plain, with_period = period_paths("things/<int:pk>/", view, "thing", period_name="thing-q")
    assert (str(plain.pattern), plain.name) == ("things/<int:pk>/", "thing")
    assert (str(with_period.pattern), with_period.name) == (
        "things/<int:pk>/<quarter:period>/",
        "thing-q",
    )
    match = with_period.resolve("things/7/2019-20-q2/")
    assert match.kwargs == {"pk": 7, "period": Quarter(2019, 2)}
    assert [p.name for p in period_paths("", view, "index")] == ["index", "index"]
