/*
 * Accessible names and roles that Dash 4's core components (dash 4.4) leave out.
 *
 * Dash serves this file from assets/ (same origin, so the Content-Security-Policy allows
 * it). It only adds or corrects ARIA attributes on the DOM the components render; it
 * changes no value and no callback. Each fix names the axe rule it answers;
 * tests/e2e/test_accessibility.py fails if one comes back. Remove a fix once Dash
 * renders it correctly itself.
 *
 * Every control in the app is wrapped by components.control(): a <div class="control">
 * with a <label class="control-label" for="<component id>">. That label names the
 * control here.
 */
(function () {
    "use strict";

    function labelFor(element) {
        const control = element.closest(".control");
        const label = control && control.querySelector(".control-label");
        if (!label) {
            return null;
        }
        if (!label.id) {
            label.id = (label.htmlFor || "control") + "-label";
        }
        return label;
    }

    function fix(root) {
        // aria-hidden-focus: the dropdown's keyboard proxy is focusable (tabindex 0) but
        // aria-hidden; it hands focus straight to the labelled dropdown button, so it
        // gets the same name instead of being hidden.
        root.querySelectorAll(".dash-dropdown-focus-target[aria-hidden]").forEach((proxy) => {
            proxy.removeAttribute("aria-hidden");
            const label = labelFor(proxy);
            if (label) {
                proxy.setAttribute("aria-labelledby", label.id);
            }
        });
        // nested-interactive and aria-input-field-name: radio items and checklists render
        // native inputs inside role="option" labels of an unnamed role="listbox". The
        // native radios and checkboxes already carry the semantics; the group needs a name.
        root.querySelectorAll(".dash-radioitems[role=listbox], .dash-checklist[role=listbox]")
            .forEach((list) => {
                const radios = list.classList.contains("dash-radioitems");
                list.setAttribute("role", radios ? "radiogroup" : "group");
                const label = labelFor(list);
                if (label) {
                    list.setAttribute("aria-labelledby", label.id);
                }
            });
        root.querySelectorAll(
            // React sets aria-selected again on every change of value.
            ".dash-radioitems .dash-options-list-option:is([role=option], [aria-selected]), " +
                ".dash-checklist .dash-options-list-option:is([role=option], [aria-selected])"
        ).forEach((option) => {
            option.removeAttribute("role");
            option.removeAttribute("aria-selected");
        });
        // label: a range slider's two number boxes, "<label> – fra/til" (from/to).
        const english = document.documentElement.lang === "en";
        [["min", english ? "from" : "fra"], ["max", english ? "to" : "til"]].forEach(([end, word]) => {
            root.querySelectorAll(`.control .dash-range-slider-${end}-input`).forEach((input) => {
                const label = labelFor(input);
                if (label) {
                    input.setAttribute("aria-label", `${label.textContent} – ${word}`);
                }
            });
        });
        // aria-input-field-name and label: slider thumbs and the sliders' number boxes.
        root.querySelectorAll(
            ".control [role=slider]:not([aria-labelledby]):not([aria-label]), " +
                ".control input:not([type=radio]):not([type=checkbox]):not([aria-labelledby]):not([aria-label]):not([id])"
        ).forEach((input) => {
            const label = labelFor(input);
            if (label) {
                input.setAttribute("aria-labelledby", label.id);
            }
        });
    }

    // One pass per frame at most: a map redraw adds thousands of SVG nodes at once.
    let queued = false;
    function fixSoon() {
        if (!queued) {
            queued = true;
            window.requestAnimationFrame(() => {
                queued = false;
                fix(document);
            });
        }
    }

    function start() {
        fix(document);
        new MutationObserver(fixSoon).observe(document.body, {
            childList: true,
            subtree: true,
            attributes: true,
            attributeFilter: ["role", "aria-hidden", "aria-selected"],
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
