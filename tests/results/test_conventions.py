"""The cube claims no convention it breaks, and its root seed reads in R without a warning."""

import h5py


def test_no_false_cf_claim_and_a_four_byte_seed(tiny_run):
    """Defect 14: ``CF-1.8`` with units UDUNITS cannot parse; an 8-byte ``root_seed``."""
    with h5py.File(tiny_run / "cube.nc", "r") as cube:
        assert "Conventions" not in cube.attrs
        seed = cube.attrs["root_seed"]
        assert seed.dtype.itemsize == 4 and int(seed.ravel()[0]) == 5
