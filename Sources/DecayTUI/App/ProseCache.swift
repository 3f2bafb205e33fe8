import TerminalUI

/// The laid-out prose of the open step, kept between frames by the runtime
/// so the Markdown is parsed once per step and theme, not once per frame.
/// The view asks it for a layout; it never keeps anything else.
public final class ProseCache {
    private var key: (markdown: String, theme: ProseTheme, glyphs: Glyphs)?
    private var view: ProseView?

    public init() {}

    func prose(markdown: String, theme: ProseTheme, glyphs: Glyphs) -> ProseView {
        if let key, let view, key.markdown == markdown, key.theme == theme, key.glyphs == glyphs { return view }
        let fresh = ProseView(markdown: markdown, theme: theme, glyphs: glyphs)
        key = (markdown, theme, glyphs)
        view = fresh
        return fresh
    }

    /// Keeps the layout a frame computed (ProseView caches wrapped lines per width).
    func store(_ prose: ProseView) { view = prose }
}
