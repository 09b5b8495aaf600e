import sys

from ipc_tui.cli import main

if __name__ == "__main__":
    sys.exit(main())
