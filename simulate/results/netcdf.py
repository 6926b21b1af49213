"""Writing a cube as netCDF-4 with h5py directly: the file h5netcdf writes, for less.

``Dataset.to_netcdf(engine="h5netcdf")`` spent about a second on a cube of ~60 variables: h5netcdf
looks dimensions, scales and attributes up one HDF5 call at a time (thousands of group lookups),
and xarray imports dask and dask.distributed to choose a lock, about another second. The cube is
written once per run, so both were a large share of a short run's time.

This writer takes the variables as xarray's own netCDF encoding makes them (CF times, fill values,
the ``coordinates`` attribute: :func:`xarray.conventions.cf_encoder`), and lays them out as
h5netcdf does for the ``NETCDF4`` format: one dataset per variable in the same order, link and
attribute creation order tracked, every dimension a dimension scale on its coordinate variable
with its ``_Netcdf4Dimid``, every variable with ``DIMENSION_LIST``, ``_Netcdf4Coordinates`` and
``_Netcdf4Dimid``, NaN fill values as ``_FillValue``, numbers as one-element attributes, text as
variable-length UTF-8, and ``_NCProperties`` on the root. Every cube variable must be on a
dimension that has a coordinate variable (the cube's always are). ``tests/results/test_cube.py``
compares its output with h5netcdf's object by object and attribute by attribute.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from simulate import __version__


def _encoded(dataset):
    """``dataset``'s variables and attributes as xarray encodes them for a netCDF-4 file."""
    from xarray import conventions
    from xarray.backends.common import ensure_dtype_not_object

    variables, attrs = conventions.encode_dataset_coordinates(dataset)
    variables, attrs = conventions.cf_encoder(variables, attrs)
    return {k: ensure_dtype_not_object(v, name=k) for k, v in variables.items()}, attrs


def _attribute(value):
    """An attribute value as h5netcdf stores it (numbers as one-element arrays)."""
    if isinstance(value, (list, tuple)):
        return np.asarray(value)
    if np.isscalar(value) and np.asarray(value).dtype.kind not in "SU":
        return np.atleast_1d(value)
    return value


def _dataset(group, name: str, variable, h5py):
    """Create one variable's HDF5 dataset, data and user attributes (no scales yet)."""
    attrs = dict(variable.attrs)
    fill = attrs.pop("_FillValue", None)
    data = np.asarray(variable.values)
    if data.dtype.kind in "OU":
        data = data.astype(object)
        dtype = h5py.string_dtype()
    else:
        dtype = data.dtype
    created = group.create_dataset(
        name, data.shape, dtype=dtype, data=data, fillvalue=fill, track_order=True
    )
    return created, fill, attrs


def write_netcdf(dataset, path: Path) -> None:
    """Write ``dataset`` to ``path`` (a new file) as netCDF-4, as h5netcdf would."""
    import h5py

    variables, attrs = _encoded(dataset)
    dimids: dict[str, int] = {}
    for variable in variables.values():
        for dim in variable.dims:
            dimids.setdefault(dim, len(dimids))
    missing = [d for d in dimids if d not in variables]
    if missing:
        raise ValueError(f"dimensions without a coordinate variable: {missing}")
    with h5py.File(path, "w", track_order=True) as file:
        made = {name: _dataset(file, name, v, h5py) for name, v in variables.items()}
        for dim, dimid in dimids.items():
            scale = made[dim][0]
            scale.attrs["_Netcdf4Dimid"] = np.int32(dimid)
            scale.make_scale(dim)
        for name, variable in variables.items():
            created, fill, user = made[name]
            if name not in dimids:
                for axis, dim in enumerate(variable.dims):
                    created.dims[axis].attach_scale(made[dim][0])
            ids = np.array([dimids[d] for d in variable.dims], dtype=np.int32)
            created.attrs["_Netcdf4Coordinates"] = ids
            if name not in dimids and len(ids):
                created.attrs["_Netcdf4Dimid"] = ids[0]
            if fill is not None:
                created.attrs["_FillValue"] = np.atleast_1d(np.asarray(fill, dtype=created.dtype))
            for key, value in user.items():
                created.attrs[key] = _attribute(value)
        for key, value in attrs.items():
            file.attrs[key] = _attribute(value)
        properties = (
            f"version=2,icsim={__version__},hdf5={h5py.version.hdf5_version},"
            f"h5py={h5py.__version__}"
        )
        file.attrs["_NCProperties"] = np.array(
            properties, dtype=h5py.string_dtype(encoding="ascii", length=len(properties))
        )
