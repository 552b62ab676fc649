import Crypto
import Foundation
import Synchronization

/// API keys: each account's and the admin's, kept only as SHA-256 digests and compared
/// in constant time, and a request budget per key (a token bucket).
public final class Keys: Sendable {
    public enum Identity: Sendable, Equatable {
        case account(String)
        case admin
    }

    private struct Entry: Sendable {
        var digest: [UInt8]
        var identity: Identity
    }

    private let entries: Mutex<[Entry]>
    private let buckets = Mutex<[[UInt8]: (tokens: Double, at: Double)]>([:])
    private let requestsPerSecond: Double

    public init(configuration: ServerConfiguration) throws {
        var entries: [Entry] = []
        func digest(plain: String?, hex: String?) throws -> [UInt8]? {
            if let plain { return Self.digest(plain) }
            guard let hex else { return nil }
            guard let bytes = Self.bytes(hex: hex), bytes.count == 32 else {
                throw ConfigurationError("a SHA-256 key digest must be 64 hex digits")
            }
            return bytes
        }
        if let admin = try digest(plain: configuration.adminKey, hex: configuration.adminKeySHA256) {
            entries.append(Entry(digest: admin, identity: .admin))
        }
        for account in configuration.accounts {
            for key in account.apiKeys ?? [] {
                entries.append(Entry(digest: Self.digest(key), identity: .account(account.name)))
            }
            for hex in account.apiKeySHA256s ?? [] {
                entries.append(Entry(digest: try digest(plain: nil, hex: hex)!, identity: .account(account.name)))
            }
        }
        self.entries = Mutex(entries)
        requestsPerSecond = Double(configuration.requestsPerSecond)
    }

    /// Adds a key for an account (admin API); answers false if the key is taken.
    public func add(key: String, account: String) -> Bool { add(digest: Self.digest(key), account: account) }

    /// Adds a key by its digest; answers false if the key is taken.
    func add(digest: [UInt8], account: String) -> Bool {
        entries.withLock { entries in
            if entries.contains(where: { Self.equal($0.digest, digest) }) { return false }
            entries.append(Entry(digest: digest, identity: .account(account)))
            return true
        }
    }

    /// Takes back a key added with `add(key:account:)` (its account's setup failed).
    func remove(key: String) {
        let digest = Self.digest(key)
        entries.withLock { entries in entries.removeAll { Self.equal($0.digest, digest) } }
    }

    /// Who a key belongs to. Every stored digest is compared, in constant time each.
    public func identify(_ key: String) -> Identity? { identify(digest: Self.digest(key)) }

    /// Who the key with this digest belongs to.
    func identify(digest: [UInt8]) -> Identity? {
        entries.withLock { entries in
            var found: Identity?
            for entry in entries where Self.equal(entry.digest, digest) { found = entry.identity }
            return found
        }
    }

    /// Takes one request from the budget of the key with this digest; false when it is
    /// spent (429).
    func allow(digest: [UInt8], now: Double = Date().timeIntervalSince1970) -> Bool {
        buckets.withLock { buckets in
            var bucket = buckets[digest] ?? (requestsPerSecond, now)
            bucket.tokens = min(requestsPerSecond, bucket.tokens + (now - bucket.at) * requestsPerSecond)
            bucket.at = now
            guard bucket.tokens >= 1 else {
                buckets[digest] = bucket
                return false
            }
            bucket.tokens -= 1
            buckets[digest] = bucket
            return true
        }
    }

    static func digest(_ key: String) -> [UInt8] { Array(SHA256.hash(data: Array(key.utf8))) }

    /// Equal digests, taking the same time wherever they differ.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
        }
        return bytes
    }
}
