"""python -m bench feed [--db sqlite|postgres] [--ideas N] [--supports N] [--repeat N]
   python -m bench shop [--db sqlite|postgres] [--buyers N] [--tries N] [--threads N] [--stock N] [--sales N]"""

import sys

from bench import feed, shop

COMMANDS = {"feed": feed.main, "shop": shop.main}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
