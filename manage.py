#!/usr/bin/env python
"""Django's command-line utility; `dxgrant` (installed into the virtual environment) is the same."""

from dxgrant.__main__ import main

if __name__ == "__main__":
    main()
