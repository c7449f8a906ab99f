import sys

from analysis import cli_speed
from analysis.cli import main

code = main()
if next((a for a in sys.argv[1:] if not a.startswith("-")), None) in cli_speed.PRINT_ONLY_COMMANDS:
    cli_speed.leave(code or 0)  # no interpreter teardown (analysis/cli_speed.py, trick 4)
sys.exit(code)
