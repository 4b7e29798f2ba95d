/* Finish modeltranslation's language tabs for the archive's editors.
 *
 * - Label each tab with the language's own name ("日本語", not "ja"): the browser
 *   knows every language's name in that language (Intl.DisplayNames).
 * - Mark the tab of the item's original language (its "original language"
 *   select), whose text is the required one, and open that tab first.
 * - Open and flag a tab whose field has an error. modeltranslation looks for
 *   the "errors" class on the field's row; Django 6 puts it on an inner element,
 *   so without this an error could hide behind a closed tab.
 * Runs after modeltranslation has built the tabs (this file is listed after it),
 * again when the admin adds an inline row, and when an original language changes.
 */
"use strict";
(function () {
    const $ = window.django && window.django.jQuery;
    if (!$) {
        return;
    }

    function autonym(code) {
        try {
            const name = new Intl.DisplayNames([code], {type: "language"}).of(code);
            return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
        } catch (error) {
            return code;
        }
    }

    // The select that decides an element's original language: an inline row's
    // own, else the page's. An inline row may instead show a saved image's
    // language as data-original-language (its select is on the image's page).
    function originalSelect(element) {
        const row = element.closest("tr.form-row, .inline-related");
        return (row && row.querySelector("select[id$='original_language']")) ||
            document.getElementById("id_original_language");
    }

    function originalLanguage(element) {
        const row = element.closest("tr.form-row, .inline-related");
        const shown = row && row.querySelector("[data-original-language]");
        if (shown && !row.querySelector("select[id$='original_language']")) {
            return shown.dataset.originalLanguage;
        }
        const select = originalSelect(element);
        return select ? select.value : "";
    }

    function label(link) {
        const code = link.textContent.trim();
        link.dataset.language = code;
        link.setAttribute("lang", code);
        link.textContent = autonym(code);
        link.classList.add("archive-tab");
    }

    function markOriginal(link) {
        const isOriginal = link.dataset.language === originalLanguage(link);
        link.classList.toggle("archive-tab--original", isOriginal);
        return isOriginal;
    }

    function hasError(link) {
        const panel = document.getElementById(link.hash.slice(1));
        return Boolean(panel && panel.querySelector(".errorlist"));
    }

    // Show the tab with an error if there is one, else the original language's.
    function choose(tabs, fresh) {
        let errorIndex = -1;
        let originalIndex = -1;
        tabs.querySelectorAll(":scope > .ui-tabs-nav a.archive-tab").forEach(function (link, index) {
            if (markOriginal(link)) {
                originalIndex = index;
            }
            if (fresh && hasError(link)) {
                link.parentElement.classList.add("ui-tab-has-errors");
                errorIndex = errorIndex < 0 ? index : errorIndex;
            }
        });
        const index = errorIndex >= 0 ? errorIndex : originalIndex;
        const flagged = tabs.querySelector(":scope > .ui-tabs-nav .ui-tab-has-errors");
        if (index >= 0 && (errorIndex >= 0 || !flagged)) {
            $(tabs).tabs("option", "active", index);
        }
    }

    function finish() {
        const fresh = new Set();
        document.querySelectorAll(".ui-tabs-nav a:not(.archive-tab)").forEach(function (link) {
            label(link);
            fresh.add(link.closest(".ui-tabs"));
        });
        fresh.forEach(function (tabs) {
            choose(tabs, true);
        });
        document.querySelectorAll("#modeltranslation-main-switch option:not([lang])").forEach(function (option) {
            const code = option.textContent.trim();
            option.setAttribute("lang", code);
            option.textContent = autonym(code);
        });
    }

    $(function () {
        finish();
        document.addEventListener("change", function (event) {
            const select = event.target;
            if (!select.matches("select[id$='original_language']")) {
                return;
            }
            document.querySelectorAll(".ui-tabs").forEach(function (tabs) {
                const link = tabs.querySelector(":scope > .ui-tabs-nav a.archive-tab");
                if (link && originalLanguage(link) === select.value && originalSelect(link) === select) {
                    choose(tabs, false);
                }
            });
        });
        new MutationObserver(function () {
            if (document.querySelector(".ui-tabs-nav a:not(.archive-tab)")) {
                finish();
            }
        }).observe(document.body, {childList: true, subtree: true});
    });
})();
