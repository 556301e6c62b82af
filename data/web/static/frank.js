// SPDX-License-Identifier: AGPL-3.0-or-later
// Frank's dashboard: small progressive touches. Every page works without this file; with it,
// selects marked data-autosubmit send their form, forms marked data-confirm ask first, and
// fields marked data-scan (a DataMatrix scanner types the code and Enter) keep the focus.
"use strict";
document.documentElement.classList.add("js");
document.addEventListener("change", (e) => {
	const el = e.target;
	if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.requestSubmit();
});
document.addEventListener("submit", (e) => {
	const form = e.target;
	const question = form.getAttribute("data-confirm");
	if (question && !window.confirm(question)) e.preventDefault();
});
window.addEventListener("DOMContentLoaded", () => {
	const scan = document.querySelector("[data-scan]");
	if (scan) scan.focus();
});

// ---- templates: a preview that is still rendering looks again by itself (a link does it
// without JavaScript); the page stops once the preview is done or has failed
window.addEventListener("DOMContentLoaded", () => {
	const wait = document.querySelector("[data-refresh]");
	if (!wait) return;
	const ms = Math.max(500, parseInt(wait.getAttribute("data-refresh"), 10) || 1500);
	setTimeout(() => window.location.reload(), ms);
});
