"""Profile one page of a bench database with pyinstrument (a dev tool, not a test).

    DATABASE_URL=sqlite:///bench/.data/10000-….sqlite3 \\
        .venv/bin/python -m bench.profile /en/images/?page=1251 [--admin] [--repeat 20]

The page is requested once to warm caches, then ``--repeat`` times under the
profiler, through the test client and the whole middleware stack, as the bench
measures it (``bench/settings.py``); ``--admin`` requests it as the bench's
superuser. Prints pyinstrument's call tree (``--html FILE`` writes its HTML view).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="the page's path, with its query string")
    parser.add_argument("--admin", action="store_true", help="as the superuser")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--html", type=Path, help="write pyinstrument's HTML here")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

    import django

    django.setup()
    from django.test import Client
    from pyinstrument import Profiler

    from bench.measure import superuser

    client = Client()
    if args.admin:
        client.force_login(superuser())
    status = client.get(args.path).status_code
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.repeat):
            client.get(args.path)
    sys.stdout.write(f"{args.path}: HTTP {status}, {args.repeat} requests\n")
    sys.stdout.write(profiler.output_text(unicode=True, show_all=False))
    if args.html:
        args.html.write_text(profiler.output_html(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
