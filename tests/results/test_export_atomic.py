"""An interrupted export leaves no truncated table."""

import pandas as pd
import pytest
import xarray as xr

from simulate.results.export import export


def test_an_interrupted_csv_export_leaves_nothing(tmp_path, monkeypatch):
    cube = xr.Dataset(
        {"cost": (("scenario", "replication", "month"), [[[1.0, 2.0]]])},
        coords={"scenario": ["a"], "replication": [0], "month": [0, 1]},
    )

    def half(self, path, **kwargs):
        with open(path, "w") as file:
            file.write("scenario,mon")
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", half)
    with pytest.raises(KeyboardInterrupt):
        export(cube, tmp_path / "cube.csv", "csv")
    assert list(tmp_path.iterdir()) == []
