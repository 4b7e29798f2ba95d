"""Peak memory of archiving the largest accepted uploads, and of refusing a bomb.

Run with `make bench` or `.venv/bin/python bench/uploads.py`. Each case runs in a
fresh process (throwaway SQLite database and media folder) so that its
peak resident memory (``VmHWM`` in /proc/self/status, which exec resets; else
``ru_maxrss``) is that case's own. Printed per
case: the file's size and pixels, the process's resident memory before the upload
is touched (Django loaded, database migrated), its peak while the upload is
checked as the admin's form checks it and archived by ``archive_image_file``
(full decode, SHA-256, renditions), the difference, and the wall time.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_files(folder: Path) -> list[tuple[str, Path]]:
    """The largest uploads the default limits accept, and the 17 KB PNG bomb."""
    from PIL import Image as PILImage

    def photo_like(size: tuple[int, int], mode: str) -> PILImage.Image:
        # Gradients (with grain for the JPEG, so it has a photograph's detail;
        # a grainy 40 MP PNG would be far over the byte limit).
        base = PILImage.linear_gradient("L").resize(size)
        grain = PILImage.effect_noise(size, 24) if mode == "RGB" else base
        bands = [base, grain, base.transpose(PILImage.Transpose.FLIP_TOP_BOTTOM)]
        if mode == "RGBA":
            bands.append(base.transpose(PILImage.Transpose.ROTATE_180))
        return PILImage.merge(mode, bands)

    files = []
    side = (7744, 5164)  # 39,990,016 pixels: just under 40 megapixels
    for label, fmt, mode, name, options in (
        ("40 MP JPEG (RGB)", "JPEG", "RGB", "big.jpg", {"quality": 85}),
        ("40 MP PNG (RGBA)", "PNG", "RGBA", "big.png", {"compress_level": 6}),
    ):
        path = folder / name
        photo_like(side, mode).save(path, fmt, **options)
        files.append((label, path))
    bomb = folder / "bomb.png"
    PILImage.new("1", (12000, 12000)).save(bomb, "PNG", optimize=True)
    files.append(("12000 × 12000 PNG bomb (refused)", bomb))
    return files


def peak_kib() -> int:
    """This process's peak resident memory so far, in KiB."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(path: str) -> None:
    """Archive (or be refused) ``path`` in this fresh process; print the figures."""
    folder = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["MEDIA_ROOT"] = f"{folder}/media"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files import File
    from django.core.management import call_command

    from archive.models import Image
    from archive.services import archive_image_file
    from archive.uploads import check_upload

    call_command("migrate", verbosity=0)
    image = Image.objects.create(key="bench", alt_text_en="bench")
    with open(path, "rb") as handle:
        upload = File(handle, name=os.path.basename(path))
        size = upload.size
        before = peak_kib()
        started = time.perf_counter()
        try:
            check_upload(upload)  # what the admin's form does
            archive_image_file(image, upload)  # what its save does
            outcome = f"archived, {len(image.renditions)} renditions"
        except ValidationError as error:
            outcome = f"refused: {error.messages[0]}"
        elapsed = time.perf_counter() - started
    peak = peak_kib()
    print(f"{size}\t{before}\t{peak}\t{elapsed:.2f}\t{outcome}")


def main() -> None:
    from PIL import Image as PILImage

    PILImage.MAX_IMAGE_PIXELS = None  # the generator may make the bomb
    with tempfile.TemporaryDirectory() as folder:
        print("case | file | pixels | RSS before | peak RSS | growth | time | outcome")
        for label, path in make_files(Path(folder)):
            with PILImage.open(path) as picture:
                pixels = picture.width * picture.height
            result = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                cwd=ROOT,
                env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            )
            if result.returncode:
                print(f"{label}: failed\n{result.stderr}")
                continue
            size, before, peak, elapsed, outcome = result.stdout.strip().split("\t")
            print(
                f"{label} | {int(size) / 2**20:.1f} MiB | {pixels / 1e6:.1f} MP | "
                f"{int(before) / 1024:.0f} MiB | {int(peak) / 1024:.0f} MiB | "
                f"{(int(peak) - int(before)) / 1024:.0f} MiB | {elapsed} s | {outcome}"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main()
