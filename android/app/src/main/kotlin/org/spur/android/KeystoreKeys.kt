// Keeps the key that encrypts the core's local data (made by the core): stored only wrapped by an
// AES key that never leaves the Android Keystore. A failure is told to the core, which then
// refuses to start instead of running with a key it could not keep.
package org.spur.android

import android.content.Context
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.util.Base64
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec
import org.spur.core.KeyProvider
import org.spur.core.KeyStoreException

class KeystoreKeys(context: Context) : KeyProvider {
    private val prefs = context.getSharedPreferences("spur-local-key", Context.MODE_PRIVATE)

    override fun load(): ByteArray? = keystore("load") {
        prefs.getString(WRAPPED, null)?.let { unwrap(Base64.decode(it, Base64.NO_WRAP)) }
    }

    override fun store(key: ByteArray) = keystore("store") {
        val kept = prefs.edit().putString(WRAPPED, Base64.encodeToString(wrap(key), Base64.NO_WRAP)).commit()
        if (!kept) throw KeyStoreException.Failed("store: the preferences file was not written")
    }

    /** Runs a Keystore step; its exception becomes the core's typed failure (never key bytes). */
    private fun <T> keystore(step: String, block: () -> T): T = try {
        block()
    } catch (e: KeyStoreException) {
        throw e
    } catch (e: Exception) {
        throw KeyStoreException.Failed("$step: ${e.javaClass.simpleName}")
    }

    private fun wrappingKey(): SecretKey {
        val store = KeyStore.getInstance(KEYSTORE).apply { load(null) }
        (store.getKey(ALIAS, null) as? SecretKey)?.let { return it }
        val generator = KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, KEYSTORE)
        generator.init(
            KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
                .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
                .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
                .setKeySize(256)
                .build(),
        )
        return generator.generateKey()
    }

    private fun wrap(key: ByteArray): ByteArray {
        val cipher = Cipher.getInstance(TRANSFORMATION).apply { init(Cipher.ENCRYPT_MODE, wrappingKey()) }
        return cipher.iv + cipher.doFinal(key)
    }

    private fun unwrap(blob: ByteArray): ByteArray {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, wrappingKey(), GCMParameterSpec(128, blob, 0, IV_BYTES))
        return cipher.doFinal(blob, IV_BYTES, blob.size - IV_BYTES)
    }

    private companion object {
        const val KEYSTORE = "AndroidKeyStore"
        const val ALIAS = "spur-local-data"
        const val WRAPPED = "wrapped"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
    }
}
