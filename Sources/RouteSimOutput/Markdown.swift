import RouteSimAnalysis
import RouteSimEngine
import RouteSimModel
import RouteSimStatistics
/// Text from inputs (policy, model and category names) made safe to put in Markdown: it cannot
/// end a table cell, start markup or inject HTML. Control characters are refused where names
/// are read; any left (from a log's categories in other formats) become spaces.
package enum Markdown {
    package static func text(_ raw: String) -> String {
        var out = ""
        out.reserveCapacity(raw.utf8.count)
        for scalar in raw.unicodeScalars {
            switch scalar {
            case "|", "\\", "`", "*", "[", "]": out += "\\" + String(scalar)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out += scalar.isControlCharacter ? " " : String(scalar)
            }
        }
        return out
    }
}
