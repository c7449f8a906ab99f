import os
import sys

from analysis.cli import main

# Commands that only print: once their output is flushed the process leaves without
# tearing the interpreter down (freeing every pandas/numpy object and the cells read
# costs ~0.1 s on a 100k-task file). Commands that write files or a database exit normally.
PRINT_ONLY_COMMANDS = ("metrics", "validate")

code = main()
if next((a for a in sys.argv[1:] if not a.startswith("-")), None) in PRINT_ONLY_COMMANDS:
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe (`... | head`): nothing more can be written anyway
        pass
    os._exit(code or 0)
sys.exit(code)
