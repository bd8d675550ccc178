//! A rule's docs (its description and remediation, Markdown in the rule
//! file) as HTML, through pulldown-cmark.
//!
//! Rule files can come from `--rules-dir`, so the Markdown is not trusted to
//! carry markup: raw HTML is shown as text, images (which would load from
//! the network) keep only their text, and only http(s) and mailto links stay
//! links.

use pulldown_cmark::{html, Event, Options, Parser, Tag, TagEnd};

/// Markdown to an HTML fragment that holds no markup of the source's own.
pub(super) fn markdown(text: &str) -> String {
    let mut unsafe_links = Vec::new();
    let events = Parser::new_ext(text, Options::empty()).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => None,
        Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => None,
        Event::Start(Tag::Link { ref dest_url, .. }) => {
            let safe = ["https://", "http://", "mailto:"]
                .iter()
                .any(|scheme| dest_url.to_ascii_lowercase().starts_with(scheme));
            unsafe_links.push(!safe);
            safe.then_some(event)
        }
        Event::End(TagEnd::Link) => (!unsafe_links.pop().unwrap_or(false)).then_some(event),
        other => Some(other),
    });
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::markdown;

    #[test]
    fn renders_paragraphs_lists_and_code() {
        let html = markdown(
            "Create the table:\n\n- one\n- two `x<y`\n\n```hcl\nresource \"a\" \"b\" {}\n```\n",
        );
        assert!(html.contains("<p>Create the table:</p>"), "{html}");
        assert!(html.contains("<li>two <code>x&lt;y</code></li>"), "{html}");
        assert!(
            html.contains(
                "<pre><code class=\"language-hcl\">resource \"a\" \"b\" {}\n</code></pre>"
            ),
            "{html}"
        );
    }

    #[test]
    fn raw_html_images_and_script_links_become_text() {
        let html = markdown(
            "<script>alert(1)</script>\n\nSee <b onclick=x>this</b> ![logo](https://example.com/x.png) \
             [bad](javascript:alert(1)) [good](https://docs.aws.amazon.com/)",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(html.contains("&lt;b onclick=x&gt;this&lt;/b&gt;"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("logo"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("bad"), "{html}");
        assert!(
            html.contains("<a href=\"https://docs.aws.amazon.com/\">good</a>"),
            "{html}"
        );
        // A code block's language lands in an attribute: quoted and escaped.
        let html = markdown("```hcl\" onmouseover=\"x\ncode\n```\n");
        assert!(!html.contains("\" onmouseover"), "{html}");
        assert!(html.contains("&quot;"), "{html}");
    }
}
