"""``python -m thermal_cpo`` — the same as the ``thermal-cpo`` command."""

from .cli import main

if __name__ == "__main__":
    main()
