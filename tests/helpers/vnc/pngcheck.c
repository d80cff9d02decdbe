/* pngcheck.c - compares and measures screenshots for the end-to-end tests.
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 *   $ pngcheck diff A.png B.png [X Y W H]...
 *   outside 0
 *   box 0 diff 212 cols 38 of 40 light 150 mean 250 230 120
 *   $ pngcheck region A.png X Y W H
 *   region light 310 of 2400 mean 251 139 61
 *   $ pngcheck colour A.png R G B TOL [X Y W H]
 *   colour 250123 of 307200
 *
 * diff: the pixels that differ between A and B (same size): how many lie
 * outside every box, and per box how many inside, how many of its columns
 * have one, and how many of them are light in A (largest channel at least
 * 96: the text, not its black shadow) with their mean colour in A.
 * region: the light pixels of one box of A and their mean colour.
 * colour: the pixels of A (of the box, if given) within TOL of R G B in
 * every channel.
 * Boxes are in the picture's pixels. Exit status 0, 1 for bad arguments,
 * 2 when a picture cannot be read. */
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIGHT 96

struct picture {
    int width, height;
    unsigned char *rgb;
};

struct box {
    int x, y, w, h;
};

/* Reads path as 8-bit RGB. Returns 0 or -1 (message printed). */
static int picture_read(const char *path, struct picture *p)
{
    png_image img;

    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) {
        fprintf(stderr, "pngcheck: %s: %s\n", path, img.message);
        return -1;
    }
    img.format = PNG_FORMAT_RGB;
    p->width = (int)img.width;
    p->height = (int)img.height;
    p->rgb = malloc(PNG_IMAGE_SIZE(img));
    if (!p->rgb || !png_image_finish_read(&img, NULL, p->rgb, 0, NULL)) {
        fprintf(stderr, "pngcheck: %s: %s\n", path,
                p->rgb ? img.message : "out of memory");
        png_image_free(&img);
        free(p->rgb);
        return -1;
    }
    return 0;
}

static const unsigned char *pixel(const struct picture *p, int x, int y)
{
    return p->rgb + 3 * ((size_t)y * p->width + x);
}

static int light(const unsigned char *c)
{
    return c[0] >= LIGHT || c[1] >= LIGHT || c[2] >= LIGHT;
}

static int inside(const struct box *b, int x, int y)
{
    return x >= b->x && x < b->x + b->w && y >= b->y && y < b->y + b->h;
}

/* Reads n boxes from argv (4 numbers each). Returns 0 or -1. */
static int boxes_parse(char **argv, int n, struct box *boxes)
{
    for (int i = 0; i < n; i++) {
        char *end;
        int *v[4] = { &boxes[i].x, &boxes[i].y, &boxes[i].w, &boxes[i].h };
        for (int k = 0; k < 4; k++) {
            *v[k] = (int)strtol(argv[4 * i + k], &end, 10);
            if (*end != '\0' || end == argv[4 * i + k])
                return -1;
        }
    }
    return 0;
}

static int cmd_diff(const struct picture *a, const struct picture *b,
                    const struct box *boxes, int n)
{
    long outside = 0;

    if (a->width != b->width || a->height != b->height) {
        fprintf(stderr, "pngcheck: the pictures differ in size\n");
        return 2;
    }
    for (int y = 0; y < a->height; y++)
        for (int x = 0; x < a->width; x++) {
            int in = 0;
            if (memcmp(pixel(a, x, y), pixel(b, x, y), 3) == 0)
                continue;
            for (int i = 0; i < n && !in; i++)
                in = inside(&boxes[i], x, y);
            outside += !in;
        }
    printf("outside %ld\n", outside);
    for (int i = 0; i < n; i++) {
        const struct box *bx = &boxes[i];
        long diff = 0, lit = 0, sum[3] = { 0, 0, 0 };
        int cols = 0;
        for (int x = bx->x; x < bx->x + bx->w; x++) {
            int col = 0;
            for (int y = bx->y; y < bx->y + bx->h; y++) {
                const unsigned char *c;
                if (x < 0 || y < 0 || x >= a->width || y >= a->height)
                    continue;
                c = pixel(a, x, y);
                if (memcmp(c, pixel(b, x, y), 3) == 0)
                    continue;
                diff++;
                col = 1;
                if (light(c)) {
                    lit++;
                    for (int k = 0; k < 3; k++)
                        sum[k] += c[k];
                }
            }
            cols += col;
        }
        printf("box %d diff %ld cols %d of %d light %ld mean %ld %ld %ld\n",
               i, diff, cols, bx->w, lit, lit ? sum[0] / lit : 0,
               lit ? sum[1] / lit : 0, lit ? sum[2] / lit : 0);
    }
    return 0;
}

static int cmd_region(const struct picture *a, const struct box *bx)
{
    long lit = 0, total = 0, sum[3] = { 0, 0, 0 };

    for (int y = bx->y; y < bx->y + bx->h; y++)
        for (int x = bx->x; x < bx->x + bx->w; x++) {
            const unsigned char *c;
            if (x < 0 || y < 0 || x >= a->width || y >= a->height)
                continue;
            total++;
            c = pixel(a, x, y);
            if (light(c)) {
                lit++;
                for (int k = 0; k < 3; k++)
                    sum[k] += c[k];
            }
        }
    printf("region light %ld of %ld mean %ld %ld %ld\n", lit, total,
           lit ? sum[0] / lit : 0, lit ? sum[1] / lit : 0,
           lit ? sum[2] / lit : 0);
    return 0;
}

static int cmd_colour(const struct picture *a, const int rgb[3], int tol,
                      const struct box *bx)
{
    long match = 0, total = 0;

    for (int y = 0; y < a->height; y++)
        for (int x = 0; x < a->width; x++) {
            const unsigned char *c = pixel(a, x, y);
            if (bx && !inside(bx, x, y))
                continue;
            total++;
            match += abs(c[0] - rgb[0]) <= tol && abs(c[1] - rgb[1]) <= tol
                  && abs(c[2] - rgb[2]) <= tol;
        }
    printf("colour %ld of %ld\n", match, total);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: pngcheck diff A.png B.png [X Y W H]...\n"
                    "       pngcheck region A.png X Y W H\n"
                    "       pngcheck colour A.png R G B TOL [X Y W H]\n");
    return 1;
}

int main(int argc, char **argv)
{
    struct picture a = { 0, 0, NULL }, b = { 0, 0, NULL };
    struct box *boxes = NULL;
    int rc;

    if (argc >= 4 && strcmp(argv[1], "diff") == 0 && (argc - 4) % 4 == 0) {
        int n = (argc - 4) / 4;
        if (!(boxes = calloc((size_t)n + 1, sizeof *boxes)) ||
            boxes_parse(argv + 4, n, boxes) != 0) {
            free(boxes);
            return usage();
        }
        if (picture_read(argv[2], &a) != 0 || picture_read(argv[3], &b) != 0)
            rc = 2;
        else
            rc = cmd_diff(&a, &b, boxes, n);
    } else if (argc == 7 && strcmp(argv[1], "region") == 0) {
        struct box bx;
        if (boxes_parse(argv + 3, 1, &bx) != 0)
            return usage();
        rc = picture_read(argv[2], &a) != 0 ? 2 : cmd_region(&a, &bx);
    } else if ((argc == 7 || argc == 11) && strcmp(argv[1], "colour") == 0) {
        int rgb[3] = { atoi(argv[3]), atoi(argv[4]), atoi(argv[5]) };
        struct box bx;
        if (argc == 11 && boxes_parse(argv + 7, 1, &bx) != 0)
            return usage();
        rc = picture_read(argv[2], &a) != 0 ? 2
             : cmd_colour(&a, rgb, atoi(argv[6]), argc == 11 ? &bx : NULL);
    } else {
        return usage();
    }
    free(a.rgb);
    free(b.rgb);
    free(boxes);
    return rc;
}
