"""``python -m fdiscope ...`` runs the command line (the same as the ``fdiscope`` script)."""

from .cli import main

if __name__ == "__main__":
    main()
