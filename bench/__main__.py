"""python -m bench feed [--db sqlite|postgres] [--ideas N] [--supports N] [--repeat N]
   python -m bench shop [--db sqlite|postgres] [--buyers N] [--tries N] [--threads N] [--stock N] [--sales N]
   python -m bench ui [--only server,load,interactions,idle] [--samples N] [--sessions 1,4,8,16] [--duration S]
                      [--per-page N] [--viewers N] [--idle-seconds S] [--runs N]"""

import sys

from bench import feed, shop, ui

COMMANDS = {"feed": feed.main, "shop": shop.main, "ui": ui.main}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
