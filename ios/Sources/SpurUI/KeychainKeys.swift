// Keeps the key that encrypts the core's local data (made by the core) in the Keychain, this
// device only. Every Keychain status other than success is thrown, so the core refuses to start
// instead of running with a key that would be gone at the next launch.
import Foundation
import Security
import SpurCore

final class KeychainKeys: KeyProvider {
    private let account = "spur-local-data"

    func load() throws -> Data? {
        let query: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrAccount as String: account,
            kSecReturnData as String: true,
        ]
        var found: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &found)
        if status == errSecItemNotFound { return nil }
        guard status == errSecSuccess, let data = found as? Data else {
            throw KeyStoreError.Failed(detail: "SecItemCopyMatching: \(status)")
        }
        return data
    }

    func store(key: Data) throws {
        let add: [String: Any] = [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrAccount as String: account,
            kSecAttrAccessible as String: kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly,
            kSecValueData as String: key,
        ]
        let status = SecItemAdd(add as CFDictionary, nil)
        guard status == errSecSuccess else { throw KeyStoreError.Failed(detail: "SecItemAdd: \(status)") }
    }
}
