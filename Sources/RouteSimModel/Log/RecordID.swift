/// A record's id as the replay keys it: the 64-bit FNV-1a hash of its UTF-8 bytes. Duplicate
/// checks, bootstrap groups, mock seeds and store fingerprints all use this one hash.
package enum RecordID {
    /// The 64-bit FNV-1a hash of an id.
    package static func hash(_ id: String) -> UInt64 {
        // Over the contiguous bytes: walking `utf8` asks the string's form at every byte.
        var id = id
        return id.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            return hash
        }
    }
}
