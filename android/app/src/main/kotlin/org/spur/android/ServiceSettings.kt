// Reads which spur service the app talks to (code host, server URLs, pinned keys) from the
// manifest's <meta-data>, which the Gradle build fills from gradle.properties.
package org.spur.android

import android.content.Context
import android.content.pm.PackageManager
import org.spur.core.SpurConfig

object ServiceSettings {
    fun fromManifest(context: Context, locale: String): SpurConfig {
        val info = context.packageManager.getApplicationInfo(context.packageName, PackageManager.GET_META_DATA)
        val meta = info.metaData ?: error("the manifest has no spur service settings")
        fun value(key: String) = meta.getString("org.spur.$key") ?: error("the manifest lacks org.spur.$key")
        return SpurConfig(
            dataDir = context.filesDir.resolve("spur").path,
            host = value("HOST"),
            tagUrl = value("TAG_URL"),
            postUrl = value("POST_URL"),
            opPublicKey = value("OP_PUBLIC_KEY"),
            directoryRootKey = value("DIRECTORY_ROOT_KEY"),
            locale = locale,
        )
    }
}
