import ArgumentParser

@main
struct Bourse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bourse",
        abstract: "An exchange core: price-time matching with every order type a venue needs.",
        subcommands: [Run.self, Bench.self, Journal.self])
}
