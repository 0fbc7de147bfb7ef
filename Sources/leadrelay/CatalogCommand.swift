import ArgumentParser
import Foundation
import IntegrationRuntime

/// `leadrelay catalog`: the integrations, their actions, params, limits and source
/// documents, from the scripts themselves; `--write` writes docs/catalog.md, `--check`
/// says whether it is up to date.
struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Print the catalog of integrations (docs/catalog.md) from the scripts.",
        discussion: """
            Reads every script of --integrations: its table (actions, params, limits) and its header \
            comment (first line, Document: line). Exit status: 0 done (with --check: the page is up \
            to date), 1 --check found the page out of date, 2 a script could not be loaded or its \
            header does not follow the convention.
            """
    )

    @Option(help: "Directory of the integration scripts.")
    var integrations = "integrations"

    @Option(help: "The page --write writes and --check compares.")
    var output = "docs/catalog.md"

    @Flag(help: "Write the page to --output instead of printing it.")
    var write = false

    @Flag(help: "Compare the page at --output with the scripts; exit 1 when it differs.")
    var check = false

    func validate() throws {
        if write && check { throw ValidationError("--write and --check exclude each other") }
    }

    func run() throws {
        let page: String
        do {
            let catalog = try IntegrationCatalog.scan(integrations)
            page = CatalogPage.markdown(try CatalogEntry.all(in: catalog))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(2)
        }
        if write {
            do {
                try page.write(toFile: output, atomically: true, encoding: .utf8)
            } catch {
                FileHandle.standardError.write(Data("error: cannot write \(output): \(error.localizedDescription)\n".utf8))
                throw ExitCode(2)
            }
            print("wrote \(output)")
        } else if check {
            let current = FileManager.default.contents(atPath: output).map { String(decoding: $0, as: UTF8.self) }
            guard current == page else {
                let why = current == nil ? "is missing" : "differs from the scripts"
                FileHandle.standardError.write(Data("\(output) \(why): run `leadrelay catalog --write`\n".utf8))
                throw ExitCode(1)
            }
            print("\(output) is up to date")
        } else {
            print(page, terminator: "")
        }
    }
}
