"""The practice-list import reads NHS Digital's file as a planner saves it."""

import numpy as np
import pytest

from simulate.errors import InputError
from simulate.inputs.practice_list import read_practice_csv

HEAD = "ORG_CODE,SEX,AGE_GROUP_5,NUMBER_OF_PATIENTS\n"


def test_thousands_separators_and_lower_case_codes(tmp_path):
    """Defect 13: '8,627' stopped the import even in rows it skips; 'a81001' did not match."""
    csv = tmp_path / "list.csv"
    csv.write_text(
        HEAD
        + 'a81001,ALL,ALL,"8,627"\n'  # a total: skipped, whatever its count looks like
        + 'a81001,FEMALE,0_4,"1,234"\n'
        + "A81001,MALE,95+,7\n"
        + 'Z99999,MALE,0_4,"lots"\n'  # another practice's row: not read, so not a problem
    )
    found = read_practice_csv(csv, {"A81001"})
    assert set(found) == {"A81001"}
    assert found["A81001"][1, 0] == 1234 and found["A81001"][0, 18] == 7
    assert int(np.sum(found["A81001"])) == 1241


def test_a_bad_count_of_a_wanted_practice_is_still_named(tmp_path):
    csv = tmp_path / "list.csv"
    csv.write_text(HEAD + "A81001,MALE,0_4,12.5\n")
    with pytest.raises(InputError, match="row 2: NUMBER_OF_PATIENTS '12.5' is not a count"):
        read_practice_csv(csv, {"A81001"})
