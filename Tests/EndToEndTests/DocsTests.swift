import Foundation
import Testing

/// The docs stand on their own: every link between them resolves, every command they show is
/// one routesim has, and no page sends the reader outside the repository.
@Suite("Docs in the repository")
struct DocsTests {
    static let pages: [String] = {
        let docs = (try? FileManager.default.contentsOfDirectory(atPath: RouteSimBinary.root + "/docs")) ?? []
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }()

    @Test(arguments: pages)
    func everyRelativeLinkResolves(page: String) throws {
        let text = try String(contentsOfFile: RouteSimBinary.root + "/" + page, encoding: .utf8)
        let base = URL(fileURLWithPath: RouteSimBinary.root + "/" + page).deletingLastPathComponent()
        let links = text.matches(of: /\]\(([^)#\s]+)(#[^)]*)?\)/).map { String($0.output.1) }
        #expect(!links.isEmpty || page != "README.md")
        for link in links where !link.hasPrefix("http") {
            let path = base.appendingPathComponent(link).standardizedFileURL.path
            #expect(FileManager.default.fileExists(atPath: path), "\(page) links to \(link), which does not exist")
        }
        // The contract and conventions files, and the shared folder beside the checkout, are not the repository's.
        let outside = ["SPEC", "CONVENTIONS", ["..", "shared"].joined(separator: "/")]
        #expect(!outside.contains { text.contains($0) }, "\(page) cites a file outside the repository")
    }

    /// A folder or file of the code a page names (`Sources/…`, `Tests/…`) exists: a page
    /// describing an old layout fails here.
    @Test(arguments: pages)
    func everySourcePathTheDocsNameExists(page: String) throws {
        let text = try String(contentsOfFile: RouteSimBinary.root + "/" + page, encoding: .utf8)
        for match in text.matches(of: /`((?:Sources|Tests)\/[A-Za-z0-9_+\/.]+)`/) {
            let path = String(match.output.1)
            #expect(FileManager.default.fileExists(atPath: RouteSimBinary.root + "/" + path), "\(page) names \(path), which does not exist")
        }
    }

    @Test func everyCommandTheDocsShowExists() throws {
        let help = try RouteSimBinary.run(["--help"]).stdout
        for page in Self.pages {
            let text = try String(contentsOfFile: RouteSimBinary.root + "/" + page, encoding: .utf8)
            for match in text.matches(of: /routesim ([a-z]+) --/) {
                let command = String(match.output.1)
                #expect(help.contains("  \(command) "), "\(page) shows `routesim \(command)`, which is not a command")
            }
        }
    }

    /// A section the code or the docs cite — `docs/store.md, "Store versions"` in a comment,
    /// `capacity.md, "Quiet fleets"` in a page — is on that page, as a heading or as the bold
    /// words a paragraph opens with: a renamed or removed section fails here.
    @Test func everySectionCitedExists() throws {
        let root = RouteSimBinary.root
        var files = Self.pages + ["Makefile"]
        for folder in ["Sources", "Tests", "bench", "spark", "fuzz"] {
            let found = FileManager.default.enumerator(atPath: root + "/" + folder)?.allObjects as? [String] ?? []
            files += found.filter { [".swift", ".cpp", ".h", ".py", ".sql", ".yaml"].contains(where: $0.hasSuffix) }.map { folder + "/" + $0 }
        }
        // Each cited page's sections, read once.
        var sections: [String: Set<String>] = [:]
        var cited = 0
        for file in files {
            guard let text = try? String(contentsOfFile: root + "/" + file, encoding: .utf8) else { continue }
            // A citation may run over lines of a comment: each line's comment marker goes.
            let flat = text.replacing(/\n[ \t]*(?:\/\/\/|\/\/|#|--|\*)?[ \t]*/, with: " ")
            for match in flat.matches(of: /(?:docs\/)?([a-z-]+)\.md, "([^"]+)"/) {
                let page = "docs/" + match.output.1 + ".md"
                if sections[page] == nil, let doc = try? String(contentsOfFile: root + "/" + page, encoding: .utf8) {
                    sections[page] = Self.sections(of: doc)
                }
                guard let named = sections[page] else { continue }
                cited += 1
                let section = String(match.output.2).trimmingCharacters(in: CharacterSet(charactersIn: ".,"))
                #expect(named.contains(section), "\(file) cites \"\(section)\" in \(page), which has no such section")
            }
        }
        #expect(cited > 50)
    }

    /// A page's headings, and the bold words its paragraphs and list items open with.
    static func sections(of page: String) -> Set<String> {
        var names = Set<String>()
        for line in page.split(separator: "\n") {
            if let heading = line.firstMatch(of: /^#+\s+(.+)$/) { names.insert(String(heading.output.1)) }
            if let lead = line.firstMatch(of: /^(?:- )?\*\*([^*]+)\*\*/) {
                names.insert(String(lead.output.1).trimmingCharacters(in: CharacterSet(charactersIn: ".,:")))
            }
        }
        return names
    }

    @Test func theReadmeIsAFrontDoor() throws {
        let lines = try String(contentsOfFile: RouteSimBinary.root + "/README.md", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count <= 150)
    }

    /// docs/metrics.md lists the keys of `summary.json`: each is in the bundled example report,
    /// and each key the report's policies carry is listed (a renamed or new key fails here).
    @Test func theSummaryKeysTheMetricsPageListsAreTheReportsKeys() throws {
        let page = try String(contentsOfFile: RouteSimBinary.root + "/docs/metrics.md", encoding: .utf8)
        let section = try #require(page.components(separatedBy: "## summary.json").last)
        let listed = Set(section.matches(of: /`([a-z0-9_]+)`/).map { String($0.output.1) })
        var keys = Set<String>(), written = Set<String>()
        for report in ["support", "workflow"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: RouteSimBinary.root + "/reports/\(report)/summary.json"))
            let summary = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            Self.keys(of: summary, into: &keys, written: &written)
        }
        #expect(listed.subtracting(keys).isEmpty, "listed but not in summary.json: \(listed.subtracting(keys).sorted())")
        #expect(written.subtracting(listed).isEmpty, "in summary.json but not listed: \(written.subtracting(listed).sorted())")
    }

    /// Every key of `summary` (`keys`), and those of fixed name (not a model's, a category's or a step's: `written`).
    static func keys(of summary: [String: Any], into keys: inout Set<String>, written: inout Set<String>) {
        func collect(_ value: Any) {
            if let list = value as? [Any] { list.forEach(collect) }
            guard let object = value as? [String: Any] else { return }
            for (key, inner) in object {
                keys.insert(key)
                collect(inner)
            }
        }
        collect(summary)
        let named = ["model_mix", "single_model_success", "by_category", "steps", "complexity_matrix"]
        written.formUnion(summary.keys)
        for policy in summary["policies"] as? [[String: Any]] ?? [] {
            for (key, value) in policy {
                written.insert(key)
                if let object = value as? [String: Any], !named.contains(key) { written.formUnion(object.keys) }
            }
            for group in ["by_category", "steps"] {
                guard let first = (policy[group] as? [String: [String: Any]])?.values.first else { continue }
                for (key, value) in first {
                    written.insert(key)
                    if let object = value as? [String: Any], !named.contains(key) { written.formUnion(object.keys) }
                }
            }
        }
        for (key, value) in summary where !named.contains(key) { written.formUnion((value as? [String: Any])?.keys.map { $0 } ?? []) }
        if let row = (summary["complexity_matrix"] as? [String: [String: Any]])?.values.first {
            written.formUnion(row.keys)
            if let cell = (row["models"] as? [String: [String: Any]])?.values.first { written.formUnion(cell.keys) }
        }
    }
}
