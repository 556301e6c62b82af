// SPDX-License-Identifier: AGPL-3.0-or-later
/* Unembedded fonts of a PDF and Lob's list of standard fonts (see pdf_fonts.h). */
#include "pdf/pdf_fonts.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum font_type_bit { T1 = 1, TT = 2, CIDTT = 4 };

/*
 * Lob's "Standard PDF Fonts" (reference: Print & Mail → Standard PDF Fonts): the fonts Lob
 * accepts unembedded, and for which font types. Names compare exactly, as PDF names do.
 */
static const struct {
	const char *name;
	unsigned types;
} standard_fonts[] = {
	{ "Arial", T1 | TT | CIDTT },
	{ "Arial,Bold", T1 | TT | CIDTT },
	{ "Arial,BoldItalic", T1 | TT | CIDTT },
	{ "Arial,Italic", TT | CIDTT },
	{ "ArialMT", TT | CIDTT },
	{ "Arial-BoldMT", TT },
	{ "Arial-BoldItalicMT", TT },
	{ "Arial-ItalicMT", TT },
	{ "ArialNarrow", TT },
	{ "ArialNarrow-Bold", TT },
	{ "Calibri", TT },
	{ "Calibri-Bold", TT },
	{ "Calibri-Italic", TT },
	{ "Courier", T1 },
	{ "Courier-Oblique", T1 },
	{ "Courier-Bold", T1 },
	{ "Courier-BoldOblique", T1 },
	{ "CourierNewPSMT", TT },
	{ "CourierNewPS-ItalicMT", TT },
	{ "CourierNewPS-BoldMT", TT },
	{ "Helvetica", T1 },
	{ "Helvetica-Bold", T1 },
	{ "Helvetica-BoldOblique", T1 },
	{ "Helvetica-Oblique", T1 },
	{ "LucidaConsole", TT },
	{ "MsSansSerif", TT },
	{ "MsSansSerif,Bold", TT },
	{ "Symbol", T1 | TT },
	{ "Tahoma", TT },
	{ "Tahoma-Bold", TT },
	{ "Times-Bold", T1 },
	{ "Times-BoldItalic", T1 },
	{ "Times-Italic", T1 },
	{ "Times-Roman", T1 },
	{ "TimesNewRomanPS-BoldItalicMT", TT },
	{ "TimesNewRomanPS-BoldMT", TT },
	{ "TimesNewRomanPS-ItalicMT", TT },
	{ "TimesNewRomanPSMT", TT | CIDTT },
	{ "TimesNewRomanPSMT,Bold", TT },
	{ "Verdana", TT },
	{ "Verdana-Bold", TT },
	{ "Verdana,Italic", TT },
	{ "ZapfDingbats", T1 },
};

static unsigned type_bit(const char *type)
{
	if (strcmp(type, "Type 1") == 0)
		return T1;
	if (strcmp(type, "TrueType") == 0)
		return TT;
	if (strcmp(type, "CID TrueType") == 0)
		return CIDTT;
	return 0;
}

/* "ABCDEF+Name" → "Name": a subset tag is six capital letters and a plus */
static const char *strip_subset_tag(const char *name)
{
	for (int i = 0; i < 6; i++)
		if (name[i] < 'A' || name[i] > 'Z')
			return name;
	return name[6] == '+' ? name + 7 : name;
}

bool pdf_font_is_standard(const char *name, const char *type)
{
	unsigned bit = type_bit(type);
	name = strip_subset_tag(name);
	for (size_t i = 0; i < sizeof standard_fonts / sizeof standard_fonts[0]; i++)
		if (strcmp(standard_fonts[i].name, name) == 0)
			return (standard_fonts[i].types & bit) != 0;
	return false;
}

/* object numbers already walked: shared resources are walked once, cycles end */
struct walk {
	int *slots;		/* open addressing; 0 is empty (object 0 is never a live object) */
	size_t cap, used;
	struct pdf_info *out;
};

/* true the first time an indirect object is seen; direct objects cannot form cycles */
static bool first_visit(fz_context *ctx, struct walk *w, pdf_obj *obj)
{
	if (!pdf_is_indirect(ctx, obj))
		return true;
	int num = pdf_to_num(ctx, obj);
	if (num <= 0)
		return false;
	if (w->used * 2 >= w->cap) {
		if (w->cap >= 2 * PDF_FONTS_MAX_VISITS)
			fz_throw(ctx, FZ_ERROR_GENERIC, "the PDF has too many resources to inspect");
		size_t ncap = w->cap ? w->cap * 2 : 1024;
		int *ns = calloc(ncap, sizeof *ns);
		if (!ns)
			fz_throw(ctx, FZ_ERROR_MEMORY, "out of memory inspecting fonts");
		for (size_t i = 0; i < w->cap; i++) {
			if (!w->slots[i])
				continue;
			size_t h = (size_t)w->slots[i] * 2654435761u % ncap;
			while (ns[h])
				h = (h + 1) % ncap;
			ns[h] = w->slots[i];
		}
		free(w->slots);
		w->slots = ns;
		w->cap = ncap;
	}
	size_t h = (size_t)num * 2654435761u % w->cap;
	while (w->slots[h]) {
		if (w->slots[h] == num)
			return false;
		h = (h + 1) % w->cap;
	}
	w->slots[h] = num;
	w->used++;
	return true;
}

static bool has_font_file(fz_context *ctx, pdf_obj *font)
{
	pdf_obj *fd = pdf_dict_get(ctx, font, PDF_NAME(FontDescriptor));
	return pdf_dict_get(ctx, fd, PDF_NAME(FontFile)) ||
	       pdf_dict_get(ctx, fd, PDF_NAME(FontFile2)) ||
	       pdf_dict_get(ctx, fd, PDF_NAME(FontFile3));
}

static void record(fz_context *ctx, struct walk *w, pdf_obj *font, const char *type)
{
	const char *name = pdf_dict_get_name(ctx, font, PDF_NAME(BaseFont));
	if (!name || !*name)
		name = "(unnamed)";
	if (pdf_font_is_standard(name, type)) {
		w->out->n_standard_unembedded++;
		return;
	}
	char label[PDF_FONT_NAME_MAX];
	snprintf(label, sizeof label, "%.40s (%s)", strip_subset_tag(name), type);
	for (size_t i = 0; i < w->out->n_unembedded; i++)
		if (strcmp(w->out->unembedded[i], label) == 0)
			return;
	if (w->out->n_unembedded == PDF_INFO_MAX_FONTS) {
		w->out->more_unembedded = true;
		return;
	}
	memcpy(w->out->unembedded[w->out->n_unembedded++], label, sizeof label);
}

static void walk_resources(fz_context *ctx, struct walk *w, pdf_obj *res, int depth);

static void check_font(fz_context *ctx, struct walk *w, pdf_obj *font, int depth)
{
	if (!pdf_is_dict(ctx, font) || !first_visit(ctx, w, font))
		return;
	pdf_obj *subtype = pdf_dict_get(ctx, font, PDF_NAME(Subtype));
	if (pdf_name_eq(ctx, subtype, PDF_NAME(Type3))) {
		/* glyphs are drawn by the file itself, but may use other fonts */
		walk_resources(ctx, w, pdf_dict_get(ctx, font, PDF_NAME(Resources)), depth + 1);
		return;
	}
	if (pdf_name_eq(ctx, subtype, PDF_NAME(Type0))) {
		pdf_obj *cid = pdf_array_get(ctx, pdf_dict_get(ctx, font, PDF_NAME(DescendantFonts)), 0);
		if (has_font_file(ctx, cid))
			return;
		pdf_obj *cs = pdf_dict_get(ctx, cid, PDF_NAME(Subtype));
		record(ctx, w, font, pdf_name_eq(ctx, cs, PDF_NAME(CIDFontType2)) ? "CID TrueType"
										    : "CID Type 0");
		return;
	}
	if (has_font_file(ctx, font))
		return;
	if (pdf_name_eq(ctx, subtype, PDF_NAME(TrueType)))
		record(ctx, w, font, "TrueType");
	else if (pdf_name_eq(ctx, subtype, PDF_NAME(MMType1)))
		record(ctx, w, font, "Multiple Master Type 1");
	else
		record(ctx, w, font, "Type 1");	/* also a missing or unknown Subtype */
}

/* a form XObject (or a pattern, or an appearance stream): its own resources */
static void walk_form(fz_context *ctx, struct walk *w, pdf_obj *form, int depth)
{
	if (!pdf_is_dict(ctx, form) || !first_visit(ctx, w, form))
		return;
	walk_resources(ctx, w, pdf_dict_get(ctx, form, PDF_NAME(Resources)), depth + 1);
}

/* apply fn to each value of a dictionary */
#define FOR_EACH_VALUE(dict, v) \
	for (int i_ = 0, n_ = pdf_dict_len(ctx, (dict)); i_ < n_; i_++) \
		for (pdf_obj *v = pdf_dict_get_val(ctx, (dict), i_); v; v = NULL)

static void walk_resources(fz_context *ctx, struct walk *w, pdf_obj *res, int depth)
{
	if (!pdf_is_dict(ctx, res))
		return;
	if (depth > PDF_FONTS_MAX_DEPTH)
		fz_throw(ctx, FZ_ERROR_GENERIC, "the PDF's resources are nested too deeply");
	if (!first_visit(ctx, w, res))
		return;
	FOR_EACH_VALUE(pdf_dict_get(ctx, res, PDF_NAME(Font)), font)
		check_font(ctx, w, font, depth);
	FOR_EACH_VALUE(pdf_dict_get(ctx, res, PDF_NAME(XObject)), xobj)
		if (pdf_name_eq(ctx, pdf_dict_get(ctx, xobj, PDF_NAME(Subtype)), PDF_NAME(Form)))
			walk_form(ctx, w, xobj, depth);
	FOR_EACH_VALUE(pdf_dict_get(ctx, res, PDF_NAME(Pattern)), pat)
		walk_form(ctx, w, pat, depth);
	FOR_EACH_VALUE(pdf_dict_get(ctx, res, PDF_NAME(ExtGState)), gs) {
		pdf_obj *smask = pdf_dict_get(ctx, gs, PDF_NAME(SMask));
		if (pdf_is_dict(ctx, smask))
			walk_form(ctx, w, pdf_dict_get(ctx, smask, PDF_NAME(G)), depth);
	}
}

/* appearance streams print with the page: /AP /N is a form or a dict of state → form */
static void walk_annotations(fz_context *ctx, struct walk *w, pdf_obj *page)
{
	pdf_obj *annots = pdf_dict_get(ctx, page, PDF_NAME(Annots));
	int n = pdf_array_len(ctx, annots);
	for (int i = 0; i < n; i++) {
		pdf_obj *ap = pdf_dict_get(ctx, pdf_array_get(ctx, annots, i), PDF_NAME(AP));
		pdf_obj *normal = pdf_dict_get(ctx, ap, PDF_NAME(N));
		if (pdf_is_stream(ctx, normal))
			walk_form(ctx, w, normal, 0);
		else
			FOR_EACH_VALUE(normal, state)
				walk_form(ctx, w, state, 0);
	}
}

void pdf_fonts_scan(fz_context *ctx, pdf_document *doc, int n_pages, struct pdf_info *out)
{
	struct walk w = { .out = out };
	fz_try(ctx) {
		for (int p = 0; p < n_pages; p++) {
			pdf_obj *page = pdf_lookup_page_obj(ctx, doc, p);
			walk_resources(ctx, &w, pdf_dict_get_inheritable(ctx, page, PDF_NAME(Resources)),
				       0);
			walk_annotations(ctx, &w, page);
		}
	}
	fz_always(ctx)
		free(w.slots);
	fz_catch(ctx)
		fz_rethrow(ctx);
}
