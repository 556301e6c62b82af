// SPDX-License-Identifier: AGPL-3.0-or-later
/* A forwarding MuPDF device that drops images without area or counts calls (see guard_dev.h). */
#include "pdf/guard_dev.h"
#include "pdf/budget.h"
#include <math.h>
#include <stdbool.h>

struct guard {
	fz_device super;
	fz_device *target;
	bool images;	/* drop images without area or over GUARD_MAX_IMAGE_PIXELS */
	bool budget;	/* count each call against the running render job */
};

#define G(dev) ((struct guard *)(dev))
#define T(dev) (G(dev)->target)

/* drawing and opening calls count; closing ones do not (they run while MuPDF unwinds) */
static void tick(fz_context *ctx, fz_device *dev)
{
	if (G(dev)->budget)
		render_job_tick(ctx);
}

/* the unit square under m has (nearly) no area, or m is not a number */
static int degenerate(fz_matrix m)
{
	float det = m.a * m.d - m.b * m.c;
	return !isfinite(det) || fabsf(det) < 1e-6f;
}

static void fill_path(fz_context *ctx, fz_device *dev, const fz_path *path, int even_odd,
		      fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha,
		      fz_color_params cp)
{
	tick(ctx, dev);
	fz_fill_path(ctx, T(dev), path, even_odd, ctm, cs, color, alpha, cp);
}

static void stroke_path(fz_context *ctx, fz_device *dev, const fz_path *path,
			const fz_stroke_state *stroke, fz_matrix ctm, fz_colorspace *cs,
			const float *color, float alpha, fz_color_params cp)
{
	tick(ctx, dev);
	fz_stroke_path(ctx, T(dev), path, stroke, ctm, cs, color, alpha, cp);
}

static void clip_path(fz_context *ctx, fz_device *dev, const fz_path *path, int even_odd,
		      fz_matrix ctm, fz_rect scissor)
{
	tick(ctx, dev);
	fz_clip_path(ctx, T(dev), path, even_odd, ctm, scissor);
}

static void clip_stroke_path(fz_context *ctx, fz_device *dev, const fz_path *path,
			     const fz_stroke_state *stroke, fz_matrix ctm, fz_rect scissor)
{
	tick(ctx, dev);
	fz_clip_stroke_path(ctx, T(dev), path, stroke, ctm, scissor);
}

static void fill_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm,
		      fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	tick(ctx, dev);
	fz_fill_text(ctx, T(dev), text, ctm, cs, color, alpha, cp);
}

static void stroke_text(fz_context *ctx, fz_device *dev, const fz_text *text,
			const fz_stroke_state *stroke, fz_matrix ctm, fz_colorspace *cs,
			const float *color, float alpha, fz_color_params cp)
{
	tick(ctx, dev);
	fz_stroke_text(ctx, T(dev), text, stroke, ctm, cs, color, alpha, cp);
}

static void clip_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm,
		      fz_rect scissor)
{
	tick(ctx, dev);
	fz_clip_text(ctx, T(dev), text, ctm, scissor);
}

static void clip_stroke_text(fz_context *ctx, fz_device *dev, const fz_text *text,
			     const fz_stroke_state *stroke, fz_matrix ctm, fz_rect scissor)
{
	tick(ctx, dev);
	fz_clip_stroke_text(ctx, T(dev), text, stroke, ctm, scissor);
}

static void ignore_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm)
{
	tick(ctx, dev);
	fz_ignore_text(ctx, T(dev), text, ctm);
}

static void fill_shade(fz_context *ctx, fz_device *dev, fz_shade *shade, fz_matrix ctm,
		       float alpha, fz_color_params cp)
{
	tick(ctx, dev);
	fz_fill_shade(ctx, T(dev), shade, ctm, alpha, cp);
}

/* an image so large that decoding it (the PDF writer does) is a memory bomb */
static int too_big(const fz_image *img)
{
	return (unsigned long long)img->w * (unsigned long long)img->h > GUARD_MAX_IMAGE_PIXELS;
}

static int dropped(fz_device *dev, const fz_image *img, fz_matrix ctm)
{
	return G(dev)->images && (degenerate(ctm) || too_big(img));
}

static void fill_image(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm,
		       float alpha, fz_color_params cp)
{
	tick(ctx, dev);
	if (!dropped(dev, img, ctm))
		fz_fill_image(ctx, T(dev), img, ctm, alpha, cp);
}

static void fill_image_mask(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm,
			    fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	tick(ctx, dev);
	if (!dropped(dev, img, ctm))
		fz_fill_image_mask(ctx, T(dev), img, ctm, cs, color, alpha, cp);
}

/* a clip must still be pushed (its pop_clip follows): an empty rectangle clips everything */
static void clip_image_mask(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm,
			    fz_rect scissor)
{
	tick(ctx, dev);
	if (dropped(dev, img, ctm)) {
		fz_path *empty = fz_new_path(ctx);
		fz_try(ctx)
			fz_clip_path(ctx, T(dev), empty, 0, fz_identity, scissor);
		fz_always(ctx)
			fz_drop_path(ctx, empty);
		fz_catch(ctx)
			fz_rethrow(ctx);
		return;
	}
	fz_clip_image_mask(ctx, T(dev), img, ctm, scissor);
}

static void pop_clip(fz_context *ctx, fz_device *dev)
{
	fz_pop_clip(ctx, T(dev));
}

static void begin_mask(fz_context *ctx, fz_device *dev, fz_rect area, int luminosity,
		       fz_colorspace *cs, const float *bc, fz_color_params cp)
{
	tick(ctx, dev);
	fz_begin_mask(ctx, T(dev), area, luminosity, cs, bc, cp);
}

static void end_mask(fz_context *ctx, fz_device *dev)
{
	fz_end_mask(ctx, T(dev));
}

static void begin_group(fz_context *ctx, fz_device *dev, fz_rect area, fz_colorspace *cs,
			int isolated, int knockout, int blendmode, float alpha)
{
	tick(ctx, dev);
	fz_begin_group(ctx, T(dev), area, cs, isolated, knockout, blendmode, alpha);
}

static void end_group(fz_context *ctx, fz_device *dev)
{
	fz_end_group(ctx, T(dev));
}

static int begin_tile(fz_context *ctx, fz_device *dev, fz_rect area, fz_rect view, float xstep,
		      float ystep, fz_matrix ctm, int id)
{
	tick(ctx, dev);
	return fz_begin_tile_id(ctx, T(dev), area, view, xstep, ystep, ctm, id);
}

static void end_tile(fz_context *ctx, fz_device *dev)
{
	fz_end_tile(ctx, T(dev));
}

static void render_flags(fz_context *ctx, fz_device *dev, int set, int clear)
{
	fz_render_flags(ctx, T(dev), set, clear);
}

static void set_default_colorspaces(fz_context *ctx, fz_device *dev, fz_default_colorspaces *d)
{
	fz_set_default_colorspaces(ctx, T(dev), d);
}

static void begin_layer(fz_context *ctx, fz_device *dev, const char *name)
{
	tick(ctx, dev);
	fz_begin_layer(ctx, T(dev), name);
}

static void end_layer(fz_context *ctx, fz_device *dev)
{
	fz_end_layer(ctx, T(dev));
}

static fz_device *new_guard(fz_context *ctx, fz_device *target, bool images, bool budget)
{
	struct guard *g = fz_new_derived_device(ctx, struct guard);
	g->target = target;
	g->images = images;
	g->budget = budget;
	g->super.fill_path = fill_path;
	g->super.stroke_path = stroke_path;
	g->super.clip_path = clip_path;
	g->super.clip_stroke_path = clip_stroke_path;
	g->super.fill_text = fill_text;
	g->super.stroke_text = stroke_text;
	g->super.clip_text = clip_text;
	g->super.clip_stroke_text = clip_stroke_text;
	g->super.ignore_text = ignore_text;
	g->super.fill_shade = fill_shade;
	g->super.fill_image = fill_image;
	g->super.fill_image_mask = fill_image_mask;
	g->super.clip_image_mask = clip_image_mask;
	g->super.pop_clip = pop_clip;
	g->super.begin_mask = begin_mask;
	g->super.end_mask = end_mask;
	g->super.begin_group = begin_group;
	g->super.end_group = end_group;
	g->super.begin_tile = begin_tile;
	g->super.end_tile = end_tile;
	g->super.render_flags = render_flags;
	g->super.set_default_colorspaces = set_default_colorspaces;
	g->super.begin_layer = begin_layer;
	g->super.end_layer = end_layer;
	return &g->super;
}

fz_device *guard_device_new(fz_context *ctx, fz_device *target)
{
	return new_guard(ctx, target, true, false);
}

fz_device *guard_budget_device_new(fz_context *ctx, fz_device *target)
{
	return new_guard(ctx, target, false, true);
}
