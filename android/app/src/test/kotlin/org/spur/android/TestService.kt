// Starts a real spur service on 127.0.0.1 for the screen tests, once per JVM: an operator vault,
// a health authority desk in a signed directory, the TAG server (serving that directory) and the
// POST server, all from the built `spur` binary; and a forger with its own keys and directory.
package org.spur.android

import java.io.File
import java.net.ServerSocket
import java.net.Socket
import java.nio.file.Files
import java.util.concurrent.TimeUnit

object TestService {
    const val HOST = "spur.example"
    const val AUTHORITY = "Gesundheitsamt Teststadt"

    class Running(
        val tagUrl: String,
        val postUrl: String,
        val opPublicKey: String,
        val rootKey: String,
        val genuineConsent: String,
        val forgedConsent: String,
    )

    // System properties are shared by every Robolectric sandbox class loader of this JVM, so the
    // service is started once even though each sandbox loads this object anew.
    fun get(): Running = synchronized(System.getProperties()) {
        System.getProperty("spur.test.service")?.let { return decode(it) }
        val running = start()
        System.setProperty("spur.test.service", encode(running))
        running
    }

    private fun start(): Running {
        val spur = System.getProperty("spur.bin") ?: error("set -Dspur.bin to the built spur binary")
        val dir = Files.createTempDirectory("spur-android-test").toFile()
        fun run(vararg args: String): String {
            val process = ProcessBuilder(spur, *args).directory(dir).redirectErrorStream(true).start()
            val out = process.inputStream.bufferedReader().readText()
            check(process.waitFor(120, TimeUnit.SECONDS) && process.exitValue() == 0) { "spur ${args.joinToString(" ")} failed:\n$out" }
            return out
        }
        fun publicKey(file: String) = File(dir, file).readLines()[1].trim()

        run("vault", "--dir", "vault", "init")
        run("authority", "--dir", "desk", "init", "--id", "1", "--name", AUTHORITY, "--range", "DE:01000-99999")
        // The TAG server's POPRF key goes into the signed directory: make its secret first.
        val tagKey = run("server", "tag-key", "--secret-file", "tag.secret", "--create-secret").trim()
        run("vault", "--dir", "vault", "sign-directory", "--entry", "desk/entry.json", "--default-authority", "1", "--tag-key", tagKey)
        run("authority", "--dir", "desk", "pin", "--root", "vault/root.pub", "--directory", "vault/directory.bin", "--op", "vault/op.pub")
        val today = java.time.LocalDate.now(java.time.ZoneOffset.UTC)
        val firstDay = today.minusDays(3).toString()
        val genuine = run("authority", "--dir", "desk", "consent-code", "--case", "TEST-1", "--phone", "+4915122222222", "--first-day", firstDay,
            "--days", "4", "--host", HOST, "--out", "consent-genuine").lineSequence().first().trim()

        // The forger calls itself authority 1 but signs with its own keys under its own root.
        run("vault", "--dir", "forger-vault", "init")
        run("authority", "--dir", "forger", "init", "--id", "1", "--name", AUTHORITY, "--range", "DE:01000-99999")
        run("vault", "--dir", "forger-vault", "sign-directory", "--entry", "forger/entry.json", "--default-authority", "1", "--tag-key", tagKey)
        run("authority", "--dir", "forger", "pin", "--root", "forger-vault/root.pub", "--directory", "forger-vault/directory.bin", "--op", "forger-vault/op.pub")
        val forged = run("authority", "--dir", "forger", "consent-code", "--case", "TEST-1", "--phone", "+4915122222222", "--first-day", firstDay,
            "--days", "4", "--host", HOST, "--out", "consent-forged").lineSequence().first().trim()

        val rootKey = publicKey("vault/root.pub")
        val tagPort = freePort()
        val postPort = freePort()
        val servers = listOf(
            listOf(spur, "server", "tag", "--listen", "127.0.0.1:$tagPort", "--secret-file", "tag.secret", "--create-secret",
                "--directory", "vault/directory.bin", "--directory-root", rootKey, "--rate-limit", "0"),
            listOf(spur, "server", "post", "--listen", "127.0.0.1:$postPort", "--sqlite", "post.sqlite", "--rate-limit", "0"),
        ).map { ProcessBuilder(it).directory(dir).redirectErrorStream(true).redirectOutput(File(dir, "${it[2]}.log")).start() }
        Runtime.getRuntime().addShutdownHook(Thread { servers.forEach { it.destroy() } })
        waitForPort(tagPort)
        waitForPort(postPort)
        return Running("http://127.0.0.1:$tagPort", "http://127.0.0.1:$postPort", publicKey("vault/op.pub"), rootKey, genuine, forged)
    }

    private fun freePort(): Int = ServerSocket(0).use { it.localPort }

    private fun waitForPort(port: Int) {
        val deadline = System.currentTimeMillis() + 30_000
        while (System.currentTimeMillis() < deadline) {
            try { Socket("127.0.0.1", port).close(); return } catch (_: Exception) { Thread.sleep(100) }
        }
        error("no server on port $port")
    }

    private fun encode(r: Running) = listOf(r.tagUrl, r.postUrl, r.opPublicKey, r.rootKey, r.genuineConsent, r.forgedConsent).joinToString("\n")
    private fun decode(s: String) = s.split("\n").let { Running(it[0], it[1], it[2], it[3], it[4], it[5]) }
}
