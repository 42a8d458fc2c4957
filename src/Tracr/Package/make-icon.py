#!/usr/bin/env python3
"""Draws the package icon (icon.png, 128x128 RGBA) with the standard library only: `python3 make-icon.py`.

The picture is Tracr's README program, `reverse`: four input tokens (top), four outputs (bottom), and the
attention pattern of its one head, which sends token i to position n-1-i, drawn as crossing lines over a
residual stream (the vertical band). Rendered at 4x and box-filtered down for anti-aliasing.
"""
import math
import struct
import zlib
from pathlib import Path

SIZE, SCALE = 128, 4
N = SIZE * SCALE

BACKGROUND = (24, 42, 74)     # deep blue
STREAM = (44, 70, 112)        # the residual stream band
LINE = (120, 200, 255)        # attention
TOKEN_IN = (255, 196, 61)     # inputs
TOKEN_OUT = (110, 230, 160)   # outputs


def inside_rounded_square(x, y, radius):
    cx = min(max(x, radius), N - radius)
    cy = min(max(y, radius), N - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2


def distance_to_segment(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def render():
    xs = [N * (0.2 + 0.2 * i) for i in range(4)]
    top, bottom = N * 0.24, N * 0.76
    dot, width = N * 0.065, N * 0.022
    segments = [(xs[i], top, xs[3 - i], bottom) for i in range(4)]
    pixels = []
    for y in range(N):
        row = []
        for x in range(N):
            px, py = x + 0.5, y + 0.5
            if not inside_rounded_square(px, py, N * 0.18):
                row.append((0, 0, 0, 0))
                continue
            color = STREAM if abs(px - N / 2) < N * 0.33 and N * 0.12 < py < N * 0.88 else BACKGROUND
            if any(distance_to_segment(px, py, *s) < width for s in segments):
                color = LINE
            for cx in xs:
                if math.hypot(px - cx, py - top) < dot:
                    color = TOKEN_IN
                if math.hypot(px - cx, py - bottom) < dot:
                    color = TOKEN_OUT
            row.append(color + (255,))
        pixels.append(row)
    return pixels


def downsample(pixels):
    out = []
    for y in range(SIZE):
        row = bytearray()
        for x in range(SIZE):
            block = [pixels[y * SCALE + j][x * SCALE + i] for j in range(SCALE) for i in range(SCALE)]
            alpha = sum(p[3] for p in block)
            for c in range(3):
                # Premultiplied average, so transparent corners do not darken the edge.
                row.append(round(sum(p[c] * p[3] for p in block) / alpha) if alpha else 0)
            row.append(round(alpha / len(block)))
        out.append(bytes(row))
    return out


def write_png(path, rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 per row
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    write_png(Path(__file__).with_name("icon.png"), downsample(render()))
