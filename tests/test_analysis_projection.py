"""The projection an analysis runs on: a date window that ends before it starts is refused."""

import pytest

from kg.analysis import Projection
from kg.errors import UsageError
from tests.test_cli import run


@pytest.mark.parametrize(("kwargs", "dates"), [
    ({"start": "2021", "end": "2020"}, ("2021", "2020")),
    ({"start": "2020-06", "end": "2020-03-31"}, ("2020-06", "2020-03-31")),
    ({"start": "2020-04-02", "as_of": "2020-04-01"}, ("2020-04-02", "2020-04-01")),
])
def test_a_window_that_starts_after_it_ends_is_refused_naming_both_dates(kwargs, dates):
    with pytest.raises(UsageError) as caught:
        Projection(**kwargs)
    message = str(caught.value)
    assert all(d in message for d in dates) and "later than" in message
    assert "--" not in message       # the library does not know the command line's flags


@pytest.mark.parametrize("kwargs", [{"start": "2020-03", "end": "2020"}, {"start": "2020", "end": "2020-03"},
                                    {"start": "2020-03-05", "as_of": "2020-03-05"}])
def test_a_window_that_overlaps_itself_is_accepted(kwargs):
    Projection(**kwargs)      # a partial date covers its whole month or year


@pytest.mark.parametrize("flag", ["--to", "--as-of"])
def test_kg_analyze_refuses_from_later_than_to_with_exit_2(runner, seed_project, flag):
    code, out, err = run(runner, "--root", str(seed_project), "analyze", "balance", "--from", "2021", flag, "2020-06")
    assert code == 2 and out == ""
    assert "--from 2021" in err and f"{flag} 2020-06" in err and "later than" in err
