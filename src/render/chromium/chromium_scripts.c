// SPDX-License-Identifier: AGPL-3.0-or-later
/*
 * The scripts Frank runs in its pages through Runtime.evaluate (page scripts are disabled;
 * these are ours). Kept as plain JavaScript so they read as what they are.
 */
#include "render/chromium/chromium_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * (nonce) → a promise that settles once the document has loaded, its fonts are ready and its
 * images are complete (none are fetched: data: URLs only), then marks the document with nonce
 * so a print can tell it is still this document. A layout is forced first: web fonts start
 * loading only when layout uses them, and fonts.ready would otherwise settle before they
 * are there. Images are awaited by their load/error events, not decode(): in a headless page
 * that has not painted a frame, decode() may never settle (seen: 4 renders in 10 hung until
 * the timeout).
 */
const char chromium_ready_js[] =
"(function (nonce) {\n"
"  return new Promise(function (done) {\n"
"    if (document.readyState === 'complete') done();\n"
"    else addEventListener('load', function () { done(); }, { once: true });\n"
"  }).then(function () {\n"
"      if (document.documentElement) document.documentElement.getBoundingClientRect();\n"
"      return document.fonts.ready;\n"
"    })\n"
"    .then(function () {\n"
"      return Promise.all(Array.from(document.images)\n"
"        .filter(function (i) { return i.loading !== 'lazy' && !i.complete; })\n"
"        .map(function (i) { return new Promise(function (r) {\n"
"          i.addEventListener('load', r, { once: true });\n"
"          i.addEventListener('error', r, { once: true }); }); }));\n"
"    })\n"
"    .then(function () { document.__frank = nonce; return document.compatMode; });\n"
"})";

/*
 * (pieces, nonce, pageW, pageH, maxPages) → { codes, why, alone_if_long } for a batch print.
 * The page already shows pieces[0]: its doctype, <html> and <head> are the batch's. Each piece
 * is parsed on its own (DOMParser), and its <body> moved into a wrapper that starts a page and
 * stands in for the initial containing block: position: relative (absolute boxes), will-change
 * when there are fixed boxes, flow-root (the body's margins stay inside, as in the root).
 * The document's own body is emptied and taken out of flow: it keeps propagating the
 * background to every page. A link in each wrapper marks where the piece starts in the PDF.
 * codes[k]: 0 printed; 1 its <html>, <head> or style sheets differ (print in another batch);
 * 2 render it alone (what it does cannot be reproduced in a shared document).
 * alone_if_long[k]: exact only on one page (fixed boxes repeat on every page of a document;
 * boxes placed from the bottom of the page): render alone if it printed more than one.
 */
static const char *const batch_js[] = {
"(async function (pieces, nonce, pageW, pageH, maxPages) {\n",
"  'use strict';\n",
"  const doc = document, root = doc.documentElement, parser = new DOMParser();\n",
"  const px = v => parseFloat(v) || 0;\n",
"  const refuse = why => ({ codes: pieces.map(() => 2), why: pieces.map(() => why),\n",
"    alone_if_long: pieces.map(() => false) });\n",
"  const pct = (m, n) => { const v = m.get(n);\n",
"    return !(v instanceof CSSKeywordValue) &&\n",
"      !(v instanceof CSSUnitValue && v.unit !== 'percent'); };\n",
"  const attrs = e => Array.from(e.attributes, a => a.name + '=' + a.value).join('\\n');\n",
"  const sheets = b =>\n",
"    Array.from(b.querySelectorAll('style,link'), e => e.outerHTML).join('\\n');\n",
/* what would leak from one piece into the next, or depends on being the only body */
"  let css = '';\n",
"  try {\n",
"    for (const s of doc.styleSheets) for (const r of s.cssRules) css += r.cssText + '\\n';\n",
"  }\n",
"  catch (e) { return refuse('unreadable style sheet'); }\n",
"  if (/@page|counter-(increment|reset|set)|counters?\\(/i.test(css))\n",
"    return refuse('@page rules or CSS counters');\n",
"  if (/(^|[\\s,>+~(])(html|:root)\\s*>|[+~]\\s*body\\b/i.test(css) ||\n",
"      /\\bbody\\s*:(first|last|nth|only)-/i.test(css))\n",
"    return refuse('selectors that depend on where the body is');\n",
"  const rs = getComputedStyle(root);\n",
"  for (const s of ['top', 'right', 'bottom', 'left'])\n",
"    if (px(rs['margin-' + s]) || px(rs['padding-' + s]) || px(rs['border-' + s + '-width']))\n",
"      return refuse('the root element has margins, borders or padding');\n",
"  if (rs.backgroundImage !== 'none') return refuse('the root element has a background image');\n",
"  const quirks = doc.compatMode === 'BackCompat';\n",
"  const rootH = root.computedStyleMap().get('height') instanceof CSSKeywordValue ? 0\n",
"    : root.getBoundingClientRect().height;\n",
"  const propagate = rs.backgroundColor === 'rgba(0, 0, 0, 0)';\n",
"  const rootVisible = rs.overflowX === 'visible' && rs.overflowY === 'visible';\n",
"  const dummy = doc.body;\n",
"  if (!dummy || dummy.localName !== 'body') return refuse('a frameset');\n",
"  const ds = getComputedStyle(dummy);\n",
"  if (ds.backgroundImage !== 'none') return refuse('the body has a background image');\n",
"  const bodyBg = ds.backgroundColor, headHTML = doc.head.innerHTML, rootAttrs = attrs(root);\n",
"  const bodySheets = sheets(dummy);\n",
"  for (const n of Array.from(dummy.childNodes))\n",
"    if (!(n.nodeType === 1 && (n.localName === 'style' || n.localName === 'link'))) n.remove();\n",
"  dummy.setAttribute('style', (dummy.getAttribute('style') || '') +\n",
"    ';position:absolute!important;visibility:hidden!important;overflow:hidden!important;' +\n",
"    'margin:0!important;padding:0!important;' +\n",
"    'border:0!important;width:0!important;height:0!important;min-height:0!important');\n",
"  const out = { codes: [], why: [], alone_if_long: [] }, wraps = [], bodies = [];\n",
"  for (let k = 0; k < pieces.length; k++) {\n",
"    const d = parser.parseFromString(pieces[k], 'text/html');\n",
"    let code = 0, why = '';\n",
"    if (!d.body || d.body.localName !== 'body') code = 2, why = 'a frameset';\n",
"    else if (d.compatMode !== doc.compatMode || attrs(d.documentElement) !== rootAttrs ||\n",
"             d.head.innerHTML !== headHTML || sheets(d.body) !== bodySheets)\n",
"      code = 1, why = 'other styles';\n",
"    out.codes.push(code); out.why.push(why); out.alone_if_long.push(false);\n",
"    if (code) { wraps.push(null); bodies.push(null); continue; }\n",
"    const w = doc.createElement('frank-piece'), a = doc.createElement('a');\n",
"    w.setAttribute('style', 'display:flow-root!important;position:relative!important;' +\n",
"      'break-before:page!important;height:auto!important;min-height:0!important;' +\n",
"      'max-height:none!important;width:auto!important;margin:0!important;' +\n",
"      'padding:0!important;' +\n",
"      'border:0!important;float:none!important;overflow:visible!important;' +\n",
"      'visibility:visible!important;transform:none!important;background:none!important;' +\n",
"      'box-sizing:content-box!important;z-index:auto!important;opacity:1!important');\n",
"    a.setAttribute('href', 'https://piece.invalid/' + nonce + '/' + k);\n",
"    a.setAttribute('style', 'display:block!important;position:absolute!important;' +\n",
"      'left:0!important;top:0!important;width:1px!important;height:1px!important;' +\n",
"      'overflow:hidden!important;visibility:visible!important;margin:0!important;' +\n",
"      'padding:0!important;border:0!important;font-size:0!important;opacity:1!important');\n",
"    const b = doc.adoptNode(d.body);\n",
"    w.append(a, b);\n",
"    root.appendChild(w);\n",
/* the batch's one copy of the body's style sheets is the dummy's */
"    for (const e of b.querySelectorAll('style,link')) if (e.sheet) e.sheet.disabled = true;\n",
"    wraps.push(w); bodies.push(b);\n",
"  }\n",
"  root.getBoundingClientRect();\n",
"  await doc.fonts.ready;\n",
"  await Promise.all(Array.from(doc.images).filter(i => i.loading !== 'lazy' && !i.complete)\n",
"    .map(i => new Promise(r => { i.addEventListener('load', r, { once: true });\n",
"      i.addEventListener('error', r, { once: true }); })));\n",
"  const breaks = /^(page|left|right|recto|verso|always)$/;\n",
"  for (let k = 0; k < pieces.length; k++) {\n",
"    const b = bodies[k], w = wraps[k];\n",
"    if (!b) continue;\n",
"    const cs = getComputedStyle(b), sm = b.computedStyleMap();\n",
"    const pctBody = pct(sm, 'height') || pct(sm, 'min-height') || pct(sm, 'max-height');\n",
/* a percentage body height resolves against the root (or, in quirks mode, the page) */
"    const fixedH = pctBody && (rootH || quirks) ? (rootH || pageH) : 0;\n",
"    let why = '', fixed = false, deps = false;\n",
"    if (cs.backgroundImage !== 'none' || cs.backgroundColor !== bodyBg)\n",
"      why = 'the body background differs';\n",
"    else if (fixedH > pageH + 0.5) why = 'a root element taller than the page';\n",
"    if (!why) {\n",
"      if (propagate) {\n",
"        b.style.setProperty('background-color', 'transparent', 'important');\n",
"        b.style.setProperty('background-image', 'none', 'important');\n",
"      }\n",
"      if (rootVisible && (cs.overflowX !== 'visible' || cs.overflowY !== 'visible'))\n",
"        b.style.setProperty('overflow', 'visible', 'important');\n",
/* quirks mode stretches the document's body to the page; only flex and grid bodies show it
   (their items align in it); on a block body the stretch would let a margin spill a page */
"      if (quirks && !fixedH && cs.display !== 'block' &&\n",
"          sm.get('height') instanceof CSSKeywordValue) {\n",
"        const box = cs.boxSizing === 'border-box' ? 0\n",
"          : px(cs.paddingTop) + px(cs.paddingBottom) +\n",
"            px(cs.borderTopWidth) + px(cs.borderBottomWidth);\n",
"        const min = pageH - px(cs.marginTop) - px(cs.marginBottom) - box;\n",
"        if (min > px(cs.minHeight)) b.style.setProperty('min-height', min + 'px', 'important');\n",
"      }\n",
"      if (fixedH) w.style.setProperty('height', fixedH + 'px', 'important');\n",
"      for (const e of b.getElementsByTagName('*')) {\n",
"        const es = getComputedStyle(e);\n",
"        if (fixedH && (breaks.test(es.breakBefore) || breaks.test(es.breakAfter)))\n",
"          why = 'page breaks';\n",
"        if (es.position !== 'fixed' && es.position !== 'absolute') continue;\n",
"        const em = e.computedStyleMap();\n",
"        if (es.position === 'fixed') fixed = true;\n",
"        if (!(em.get('bottom') instanceof CSSKeywordValue) || pct(em, 'top') ||\n",
"            pct(em, 'height') || pct(em, 'min-height') || pct(em, 'max-height')) deps = true;\n",
"      }\n",
"      if (fixed) w.style.setProperty('will-change', 'transform', 'important');\n",
"      if (deps && !fixedH) w.style.setProperty('min-height', pageH + 'px', 'important');\n",
"    }\n",
"    if (!why) {\n",
"      const wr = w.getBoundingClientRect(), br = b.getBoundingClientRect();\n",
"      const rg = doc.createRange();\n",
"      rg.selectNodeContents(b);\n",
"      const cr = rg.getBoundingClientRect();\n",
"      const flowEnd = br.bottom + px(cs.marginBottom) - wr.top;\n",
"      const limit = fixedH || Math.max(flowEnd, pageH);\n",
"      if (cr.width > 0 && cr.right > wr.left + pageW + 0.5) why = 'wider than the page';\n",
"      else if (cr.height > 0 && cr.bottom - wr.top > limit + 0.5)\n",
"        why = 'content beyond the body';\n",
"      else if (fixedH && flowEnd > fixedH + 0.5) why = 'taller than its fixed page';\n",
"      else if (flowEnd > pageH * (maxPages + 1)) why = 'longer than the page limit';\n",
"    }\n",
"    out.alone_if_long[k] = fixed || deps;\n",
"    if (why) { out.codes[k] = 2; out.why[k] = why; w.remove(); }\n",
"  }\n",
"  return out;\n",
"})",
	NULL
};

char *chromium_batch_expr(const char *pieces_json, const char *nonce, double page_w_px,
			  double page_h_px, unsigned max_pages)
{
	size_t n = strlen(pieces_json) + strlen(nonce) + 128;
	for (size_t i = 0; batch_js[i]; i++)
		n += strlen(batch_js[i]);
	char *s = malloc(n);
	if (!s)
		return NULL;
	size_t at = 0;
	for (size_t i = 0; batch_js[i]; i++) {
		size_t l = strlen(batch_js[i]);
		memcpy(s + at, batch_js[i], l);
		at += l;
	}
	snprintf(s + at, n - at, "(%s,'%s',%.4f,%.4f,%u)", pieces_json, nonce, page_w_px, page_h_px,
		 max_pages);
	return s;
}
