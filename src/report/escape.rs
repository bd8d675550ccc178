//! Untrusted text on its way out. Names, tags, descriptions, messages, error
//! texts and rule documentation are written by someone else (anyone with write
//! access to one member account, or to a snapshot, state or rule file), so every
//! piece of data passes through here before it reaches a terminal or a Markdown
//! document. JSON and SARIF carry data exactly and never come here.
//!
//! - [`neutralise`] is the character-level step every text format shares: a
//!   control character (C0, DEL, C1: ESC sequences, OSC 8 hyperlinks, CR, BS,
//!   NUL), a line or paragraph separator, and an invisible formatting character
//!   that can disguise text (bidi overrides and isolates, zero-width spaces and
//!   joiners, tag characters, Hangul fillers) is shown as a visible escape such
//!   as `\x1b`, `\n` or `\u{202e}`. Nothing else changes. The HTML report can
//!   reuse it before its own HTML escaping.
//! - [`terminal`] and [`terminal_capped`] are the table's way out: one line, no
//!   control characters, long values cut with a count of what was cut.
//! - [`markdown`] is the Markdown way out: neutralised, then Markdown and HTML
//!   syntax escaped, and GitHub's own links broken with a zero-width space
//!   (`@user` and `@org/team` mentions, `#123` references, bare URLs and `www.`
//!   autolinks), so a report in a pull-request comment notifies nobody and
//!   links nowhere the data chose.

use std::borrow::Cow;
use std::fmt::Write as _;

/// How a character is shown when it must not reach the output as itself.
fn escaped(c: char) -> Option<String> {
    match c {
        '\n' => Some("\\n".to_string()),
        '\r' => Some("\\r".to_string()),
        '\t' => Some("\\t".to_string()),
        c if c.is_control() => Some(format!("\\x{:02x}", u32::from(c))),
        c if is_invisible(c) => Some(format!("\\u{{{:x}}}", u32::from(c))),
        _ => None,
    }
}

/// Characters that print nothing (or reorder what follows) yet change what a
/// reader sees: Unicode format characters (category Cf), line and paragraph
/// separators, and the invisible letters used to fake blank names.
fn is_invisible(c: char) -> bool {
    matches!(
        u32::from(c),
        0x00AD                  // soft hyphen
        | 0x034F                // combining grapheme joiner
        | 0x0600..=0x0605
        | 0x061C                // Arabic letter mark
        | 0x06DD
        | 0x070F
        | 0x0890..=0x0891
        | 0x08E2
        | 0x115F..=0x1160       // Hangul fillers
        | 0x17B4..=0x17B5
        | 0x180B..=0x180F       // Mongolian variation selectors and vowel separator
        | 0x200B..=0x200F       // zero-width space, joiners, LRM, RLM
        | 0x2028..=0x2029       // line and paragraph separators
        | 0x202A..=0x202E       // bidi embeddings and overrides
        | 0x2060..=0x2064       // word joiner, invisible operators
        | 0x2066..=0x206F       // bidi isolates, deprecated format characters
        | 0x3164                // Hangul filler
        | 0xFEFF                // zero-width no-break space (BOM)
        | 0xFFA0                // halfwidth Hangul filler
        | 0xFFF9..=0xFFFB       // interlinear annotation
        | 0x110BD
        | 0x110CD
        | 0x13430..=0x1343F
        | 0x1BCA0..=0x1BCA3
        | 0x1D173..=0x1D17A
        | 0xE0001
        | 0xE0020..=0xE007F     // tag characters
    )
}

/// Whether `c` is shown escaped by [`neutralise`].
pub fn is_hostile(c: char) -> bool {
    escaped(c).is_some()
}

/// Shows every control and invisible formatting character as a visible escape
/// (`\x1b`, `\n`, `\u{202e}`); all other text is unchanged. The result never
/// spans two lines.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_hostile) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match escaped(c) {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Like [`neutralise`], but keeps line breaks and tabs: for multi-line text a
/// rule file's author wrote (`explain`).
pub fn neutralise_multiline(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            line.split('\t')
                .map(neutralise)
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text for one line of terminal output: [`neutralise`]d.
pub fn terminal(text: &str) -> Cow<'_, str> {
    neutralise(text)
}

/// [`terminal`], cut after `max_chars` characters of the original text with
/// a count of the rest: `…(49,000 more characters)`.
pub fn terminal_capped(text: &str, max_chars: usize) -> String {
    let total = text.chars().count();
    if total <= max_chars {
        return neutralise(text).into_owned();
    }
    let kept: String = text.chars().take(max_chars).collect();
    format!(
        "{}…({} more characters)",
        neutralise(&kept),
        thousands(total - max_chars)
    )
}

/// The longest error or warning line, in characters.
pub const MAX_ERROR_CHARS: usize = 2_000;

/// An error or warning message as one line of stderr: neutralised (so the
/// file content it may quote cannot start a line or drive the terminal) and
/// capped at [`MAX_ERROR_CHARS`].
pub fn error_line(message: &str) -> String {
    terminal_capped(message, MAX_ERROR_CHARS)
}

/// `49000` -> `49,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Breaks a GitHub link without changing what a reader sees.
const ZERO_WIDTH_SPACE: &str = "&#8203;";

/// ASCII punctuation that starts Markdown or HTML syntax (emphasis, code,
/// links, images, tables, headings, entities, tags, strikethrough, math).
fn is_markdown_syntax(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '|' | '[' | ']' | '<' | '>' | '&' | '~' | '#' | '!' | '$'
    )
}

/// Escapes untrusted text for GitHub-flavoured Markdown, inline (a table cell,
/// a heading, a list item): spaces trimmed, [`neutralise`]d, Markdown and HTML syntax
/// backslash-escaped, and mentions, issue references and autolinks broken by a
/// zero-width space (`@&#8203;user`, `#&#8203;12`, `https:&#8203;//`,
/// `www&#8203;.`). The output is one line.
pub fn markdown(text: &str) -> String {
    markdown_capped(text, usize::MAX).0
}

/// [`markdown`], at most `max_bytes` long: a longer result is cut and ends in
/// `…(N more characters)`; the second value is N, the characters of `text`
/// left out (0 when nothing was cut).
pub fn markdown_capped(text: &str, max_bytes: usize) -> (String, usize) {
    // Spaces at either end would not show in a cell; a line break would, escaped.
    let chars: Vec<char> = text.trim_matches(' ').chars().collect();
    // Where to cut if the whole does not fit: room for the note stays free.
    let room = max_bytes.saturating_sub(CUT_NOTE_MAX);
    let mut cut: Option<(usize, usize)> = None;
    let mut out = String::with_capacity(text.len().min(max_bytes) + 16);
    for i in 0..chars.len() {
        let before = out.len();
        markdown_char(&chars, i, &mut out);
        if cut.is_none() && out.len() > room {
            cut = Some((before, i));
        }
        if out.len() > max_bytes {
            let (len, index) = cut.expect("the cut comes first");
            out.truncate(len);
            let rest = chars.len() - index;
            let _ = write!(out, "…({} more characters)", thousands(rest));
            return (out, rest);
        }
    }
    (out, 0)
}

/// The longest `…(N more characters)` note (N below 10^15).
const CUT_NOTE_MAX: usize = "…(999,999,999,999,999 more characters)".len();

/// Appends the Markdown for `chars[i]`.
fn markdown_char(chars: &[char], i: usize, out: &mut String) {
    let c = chars[i];
    let next = |k: usize| chars.get(i + k).copied();
    if let Some(e) = escaped(c) {
        // `\x1b` -> `\\x1b`: the backslash shows.
        out.push('\\');
        out.push_str(&e);
        return;
    }
    match c {
        '@' => {
            out.push('@');
            out.push_str(ZERO_WIDTH_SPACE);
        }
        '#' => {
            out.push_str("\\#");
            if next(1).is_some_and(|n| n.is_ascii_alphanumeric()) {
                out.push_str(ZERO_WIDTH_SPACE);
            }
        }
        ':' if next(1) == Some('/') && next(2) == Some('/') => {
            out.push(':');
            out.push_str(ZERO_WIDTH_SPACE);
        }
        '.' if follows_www(chars, i) => {
            out.push_str(ZERO_WIDTH_SPACE);
            out.push('.');
        }
        c if is_markdown_syntax(c) => {
            out.push('\\');
            out.push(c);
        }
        c => out.push(c),
    }
}

/// Whether `chars[i]` is the dot of a `www.` that starts a word.
fn follows_www(chars: &[char], i: usize) -> bool {
    i >= 3
        && chars[i - 3..i].iter().all(|c| c.eq_ignore_ascii_case(&'w'))
        && (i == 3 || !chars[i - 4].is_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_invisible_characters_show_escaped() {
        let hostile = "a\u{1b}[2J\u{1b}]8;;https://evil.example/\u{7}b\r\nc\0\u{8}\u{7f}\u{9b}d\u{202e}e\u{200b}f\u{e0041}\u{2028}";
        assert_eq!(
            neutralise(hostile),
            "a\\x1b[2J\\x1b]8;;https://evil.example/\\x07b\\r\\nc\\x00\\x08\\x7f\\x9bd\\u{202e}e\\u{200b}f\\u{e0041}\\u{2028}"
        );
        // Plain text, accents, CJK and emoji pass unchanged, without a copy.
        let plain = "krci-shared · Zürich 東京 🚀 \\x1b";
        assert!(matches!(neutralise(plain), Cow::Borrowed(p) if p == plain));
        assert_eq!(
            neutralise_multiline("Title\n\tindented\u{1b}[31m\r"),
            "Title\n\tindented\\x1b[31m\\r"
        );
    }

    #[test]
    fn terminal_values_are_cut_with_a_count() {
        let long = format!("{}\u{1b}", "x".repeat(1_500));
        let cut = terminal_capped(&long, 1_000);
        assert_eq!(cut, format!("{}…(501 more characters)", "x".repeat(1_000)));
        assert_eq!(terminal_capped("a\nb", 3), "a\\nb");
        assert_eq!(thousands(49_000), "49,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_234_567), "1,234,567");
        let error = error_line(&format!("x.json: {}\n--> line", "y".repeat(3_000)));
        assert!(!error.contains('\n') && error.ends_with("(1,017 more characters)"));
    }

    #[test]
    fn markdown_syntax_html_mentions_and_links_are_inert() {
        assert_eq!(markdown("a|b `c`"), "a\\|b \\`c\\`");
        assert_eq!(markdown("AWSIRSA_Shared"), "AWSIRSA\\_Shared");
        assert_eq!(
            markdown("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert(1)\\>"
        );
        assert_eq!(
            markdown("ping @octocat and @octo-org/security-team"),
            "ping @&#8203;octocat and @&#8203;octo-org/security-team"
        );
        assert_eq!(
            markdown("see https://evil.example/x, WWW.evil.example or mailto:a@b.example"),
            "see https:&#8203;//evil.example/x, WWW&#8203;.evil.example or mailto:a@&#8203;b.example"
        );
        assert_eq!(
            markdown("fixes #12 and a#b"),
            "fixes \\#&#8203;12 and a\\#&#8203;b"
        );
        assert_eq!(
            markdown("[x](javascript:alert(1)) ![i](u)"),
            "\\[x\\](javascript:alert(1)) \\!\\[i\\](u)"
        );
        assert_eq!(
            markdown("&lt; $x$ ~~s~~ *e* **b**"),
            "\\&lt; \\$x\\$ \\~\\~s\\~\\~ \\*e\\* \\*\\*b\\*\\*"
        );
        // A word ending in www is not a link.
        assert_eq!(markdown("awww.x"), "awww.x");
        assert_eq!(
            markdown(" line\nbreak\u{1b}[2J\r\n "),
            "line\\\\nbreak\\\\x1b\\[2J\\\\r\\\\n"
        );
    }

    #[test]
    fn markdown_values_are_capped_in_bytes() {
        let (short, cut) = markdown_capped("a@b", 512);
        assert_eq!((short.as_str(), cut), ("a@&#8203;b", 0));
        let long = "@".repeat(50_000);
        let (capped, cut) = markdown_capped(&long, 512);
        assert!(capped.len() <= 512, "{}", capped.len());
        assert!(capped.ends_with(&format!("…({} more characters)", thousands(cut))));
        assert!(capped.starts_with("@&#8203;@&#8203;"));
        assert_eq!(cut, 50_000 - capped.matches('@').count());
        // Never a half escape.
        assert!(capped.trim_end_matches(|c| c != '…').ends_with("&#8203;…"));
    }
}
