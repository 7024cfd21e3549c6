"""What every Vestnik app agrees on, each rule in one place.

`core` imports no Vestnik app; `news` imports only `core`; nothing imports `demo`
(the contracts in pyproject.toml, checked by `make check`).
"""
