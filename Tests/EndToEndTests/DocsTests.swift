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

    @Test func theReadmeIsAFrontDoor() throws {
        let lines = try String(contentsOfFile: RouteSimBinary.root + "/README.md", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count <= 150)
    }
}
