// One real scenario through the generated Kotlin bindings, against the real libspur_core.so and
// real TAG and POST servers on 127.0.0.1 (started by scripts/kotlin-tests.sh): register, make a
// place code, check in from its URL, upload, read history and counters, consent, delete
// everything; the typed errors crossing the boundary with their fields and policies (a server's
// refusal code from a stand-in server); the key store callback (the key made in Rust, a failing
// store refused at start); the screens' captions and the message for a QR code that is not
// spur's, in both languages.
package org.spur.core

import com.sun.net.httpserver.HttpServer
import java.net.InetSocketAddress
import java.nio.file.Files
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assertions.fail
import org.junit.jupiter.api.Test

/** The platform side of the local-data key: here kept in memory (Keystore on Android). */
class TestKey : KeyProvider {
    var kept: ByteArray? = null
    var stores = 0

    override fun load(): ByteArray? = kept

    override fun store(key: ByteArray) {
        stores += 1
        kept = key
    }
}

/** A key store whose writes fail, as a locked Keychain or a full disk would. */
class FailingKeyStore : KeyProvider {
    override fun load(): ByteArray? = null

    override fun store(key: ByteArray): Unit = throw KeyStoreException.Failed("errSecNotAvailable (-25291)")
}

private fun prop(name: String): String =
    System.getProperty(name) ?: error("missing -D$name (run scripts/kotlin-tests.sh)")

/** Runs [block] and returns the exception of type [T] it must throw. */
private inline fun <reified T : Throwable> expect(block: () -> Unit): T {
    try {
        block()
    } catch (e: Throwable) {
        if (e is T) return e
        fail<Unit>("expected ${T::class.simpleName}, got $e")
    }
    fail<Unit>("expected ${T::class.simpleName}, nothing was thrown")
    error("unreachable")
}

class ScenarioTest {
    private fun config(locale: String) = SpurConfig(
        dataDir = Files.createTempDirectory("spur-kotlin").toString(),
        host = prop("spur.host"),
        tagUrl = prop("spur.tagUrl"),
        postUrl = prop("spur.postUrl"),
        opPublicKey = prop("spur.opKey"),
        directoryRootKey = prop("spur.rootKey"),
        locale = locale,
    )

    @Test
    fun citizenScenario() = runBlocking {
        val spur = Spur(config("en"), TestKey())

        // Typed errors with translated messages cross the boundary.
        val phone = expect<SpurException.InvalidInput> { spur.checkPhone("0151 2345678") }
        assertTrue(phone.reason.contains("country code"), phone.reason)
        assertEquals(phone.reason, phone.words())
        assertEquals(ErrorPolicy.FIX_INPUT, phone.policy())
        expect<SpurException.NotASpurCode> { spur.scan("https://example.com/menu") }
        val unregistered = expect<SpurException.NotRegistered> { spur.createPersonalCode(null, false) }
        assertEquals(ErrorPolicy.RELOGIN, unregistered.policy())
        spur.setLocale("de")
        val de = expect<SpurException.InvalidInput> { spur.checkPhone("0151 2345678") }
        assertTrue(de.reason.contains("Ländervorwahl"), de.reason)
        spur.setLocale("en")
        assertEquals(SecretLevel.REFUSED, spur.secretStrength("123456", "").level)
        assertTrue(spur.secretStrength("123456", "").words.contains("PIN"))
        val proposal = spur.proposePassphrase()
        assertEquals(5, proposal.split("-").size)
        assertTrue(spur.secretStrength(proposal, "+49 151 23456789").level != SecretLevel.REFUSED)

        // Register.
        assertFalse(spur.isRegistered())
        val uploaded = spur.register(
            RegistrationForm(
                phone = "+49 151 23456789",
                secret = "ballot-quarry-tiptoe-lantern-minnow",
                country = "DE",
                postcode = "80331",
                campusId = null,
                birthYear = 1990u.toUShort(),
            )
        )
        assertTrue(uploaded)
        assertTrue(spur.isRegistered())

        // Make a place code and check in from its URL.
        val code = spur.createPlaceCode(
            PlaceForm(
                responsiblePhone = "+49 89 12345678",
                country = "DE",
                postcode = "80331",
                name = "Café Zur Post",
                kind = PlaceType.GASTRONOMY,
                description = "Marienplatz 1",
            )
        )
        // Drawn and printed: the PNG reads back to the same URL, the PDF is an A4 sheet of cards.
        val png = spur.codePng(code.url, 6u)
        assertEquals(ScannedImage.Spur(code.url), spur.scanPicture(png))
        val pdf = spur.codePdf(code.url, CardLayout.A4_SHEET)
        assertEquals("%PDF-", String(pdf.copyOfRange(0, 5), Charsets.US_ASCII))
        assertTrue(spur.codeSvg(code.url, 4u).startsWith("<svg"))

        val scanned = spur.scan(code.url)
        assertEquals(Scanned.Place("Café Zur Post", "DE", "80331"), scanned)
        assertEquals(10, spur.stayOptions().size)
        val visit = spur.checkIn(code.url, Stay.Minutes(60u), null)
        assertEquals("Café Zur Post", visit.entry.name)
        assertEquals(visit.entry.timeIn + 3600u, visit.entry.timeOut)
        assertEquals(visit.entry.timeIn + 3600u, visit.plannedOut)
        assertTrue(visit.online && !visit.merged)
        assertTrue(visit.message.startsWith("You are checked in at Café Zur Post from "), visit.message)

        // Nothing is sent while the stay goes on; ending it early sends it with its real end.
        val running = spur.sync()
        assertEquals(1u, running.waiting, running.message)
        assertEquals(1, spur.runningCheckIns().size)
        val ended = spur.endCheckIn(visit.id)!!
        assertTrue(ended.sent, ended.message)
        assertTrue(ended.entry.timeOut!! < visit.entry.timeIn + 3600u)
        val status = spur.sync()
        assertEquals(0u, status.pending, status.message)
        assertEquals(0u, status.waiting)
        val history = spur.history()
        assertEquals(1, history.size)
        assertEquals("Café Zur Post", history[0].name)
        val counters = spur.counters()
        assertEquals(1uL, counters.scans)
        // Whole sentences from the core, arguments filled in (no fragments to glue).
        assertEquals("Scans: 1", counters.scansLine)
        assertTrue(counters.lastScanLine.startsWith("Last scan: 20"), counters.lastScanLine)
        assertTrue(history[0].times.contains(" – "), history[0].times)
        val said = spur.codeWords(code)
        assertEquals("QR code of Café Zur Post", said.imageLabel)
        assertEquals("Code id: ${code.qrId}", said.idLine)
        assertTrue(counters.contactHours < 3.0 / 60, "${counters.contactHours}")

        // Consent: a forged code is refused; the real one shows the authority, then releases.
        expect<SpurException.ConsentRefused> { spur.consentInfo(prop("spur.forgedConsentUrl")) }
        val info = spur.consentInfo(prop("spur.consentUrl"))
        assertEquals("Gesundheitsamt München", info.authority)
        assertEquals(1u, info.dayCount)
        assertTrue(info.text.contains("Gesundheitsamt München"), info.text)
        assertEquals("Health authority: Gesundheitsamt München", info.authorityLine)
        assertEquals("Day: ${info.firstDay} (1)", info.daysLine)
        expect<SpurException.WrongCredentials> {
            spur.giveConsent(prop("spur.consentUrl"), "+4915123456789", "wrong secret")
        }
        val thanks = spur.giveConsent(prop("spur.consentUrl"), "+4915123456789", "ballot-quarry-tiptoe-lantern-minnow")
        assertTrue(thanks.contains("Gesundheitsamt München"), thanks)
        expect<SpurException.ConsentRefused> { spur.consentInfo(prop("spur.consentUrl")) }

        // Delete everything.
        val deleted = spur.deleteAllData()
        assertTrue(deleted.serverConfirmed, deleted.message)
        assertFalse(spur.isRegistered())
        assertTrue(spur.history().isEmpty())
        assertEquals(0uL, spur.counters().scans)
        expect<SpurException.NotRegistered> { spur.checkIn(code.url, Stay.Short, null) }
        spur.close()
    }

    @Test
    fun aServersRefusalArrivesWithItsCode() = runBlocking {
        // A stand-in for both servers that refuses every request with a stable code, as the real
        // servers' error shape does.
        val server = HttpServer.create(InetSocketAddress("127.0.0.1", 0), 0)
        server.createContext("/") { exchange ->
            val body = """{"error":"test_refusal","message":"refused by the test"}""".toByteArray()
            exchange.responseHeaders.add("content-type", "application/json")
            exchange.sendResponseHeaders(403, body.size.toLong())
            exchange.responseBody.use { it.write(body) }
        }
        server.start()
        try {
            val url = "http://127.0.0.1:${server.address.port}"
            val spur = Spur(config("en").copy(tagUrl = url, postUrl = url), TestKey())
            val refused = expect<SpurException.Server> {
                spur.register(
                    RegistrationForm("+49 151 23456789", "ballot-quarry-tiptoe-lantern-minnow", "DE", "80331", null, null)
                )
            }
            assertEquals("test_refusal", refused.code)
            assertTrue(refused.reason.isNotEmpty())
            assertEquals(ErrorPolicy.REFUSED, refused.policy())
            spur.close()
        } finally {
            server.stop(0)
        }
    }

    @Test
    fun theKeyIsMadeInRustAndAFailingStoreRefusesToStart() {
        val keys = TestKey()
        val dir = config("en")
        Spur(dir, keys).close()
        assertNotNull(keys.kept)
        val first = keys.kept!!
        assertEquals(32, first.size)
        assertEquals(1, keys.stores)
        // The next start loads the same key and makes no new one.
        Spur(dir, keys).close()
        assertArrayEquals(first, keys.kept)
        assertEquals(1, keys.stores)

        val failed = expect<SpurException.KeyStore> { Spur(config("en"), FailingKeyStore()) }
        assertEquals("errSecNotAvailable (-25291)", failed.detail)
        assertTrue(failed.reason.contains("does not start"), failed.reason)
        assertEquals(ErrorPolicy.FATAL, failed.policy())
    }

    @Test
    fun captionsAndForeignCodesInBothLanguages() {
        val spur = Spur(config("en"), TestKey())
        val en = spur.captions()
        assertEquals("en", en.languageTag)
        assertEquals("Register", en.register)
        assertTrue(en.privacyText.contains("health authority"), en.privacyText)
        // A picture of someone else's QR code (a menu link): the core says so, in the user's words.
        val other = javaClass.getResourceAsStream("/other-qr-code.png")!!.readBytes()
        val seen = spur.scanPicture(other)
        assertTrue(seen is ScannedImage.OtherCode, "$seen")
        assertTrue((seen as ScannedImage.OtherCode).message.startsWith("This QR code is not a spur code."), seen.message)

        spur.setLocale("de")
        val de = spur.captions()
        assertEquals("de", de.languageTag)
        assertEquals("Registrieren", de.register)
        assertTrue(de.privacyText.contains("Gesundheitsamt"), de.privacyText)
        val gesehen = spur.scanPicture(other) as ScannedImage.OtherCode
        assertTrue(gesehen.message.startsWith("Dieser QR-Code ist kein spur-Code."), gesehen.message)
        spur.close()
    }
}
