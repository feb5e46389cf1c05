// The screen scenarios on the host JVM: every screen runs in Robolectric against the real core
// library and real TAG and POST servers on 127.0.0.1; the screenshots in docs/images come from here.
package org.spur.android

import org.junit.After
import org.junit.Assert.assertEquals
import org.junit.Assert.assertFalse
import org.junit.Assert.assertTrue
import org.junit.Test
import org.junit.runner.RunWith
import org.robolectric.RobolectricTestRunner
import org.robolectric.annotation.Config
import org.robolectric.annotation.GraphicsMode

@RunWith(RobolectricTestRunner::class)
@GraphicsMode(GraphicsMode.Mode.NATIVE)
@Config(sdk = [34], qualifiers = "w360dp-h760dp-xhdpi")
class ScreensTest {
    private val drivers = mutableListOf<ScreenDriver>()

    private companion object {
        // A fixed passphrase the policy accepts (the tests register and consent with the same one).
        const val SECRET = "ballot-quarry-tiptoe-lantern-minnow"
    }

    private fun driver(link: String? = null, locale: String = "en") = ScreenDriver(link, locale).also { drivers += it }

    @After
    fun close() = drivers.forEach { it.close() }

    private fun ScreenDriver.register(phone: String = "+4915123456789") {
        assertEquals("registration", screen)
        type("registration.phone", phone)
        type("registration.secret", SECRET)
        type("registration.postcode", "80331")
        tap("registration.register")
        assertEquals("home", screen)
    }

    @Test
    fun registerCheckInFromDeepLinkCheckOutAndHistory() {
        val d = driver()
        // The privacy explanation is the core's text, not the shell's.
        assertEquals(d.core.captions().privacyText, d.text("registration.privacy"))
        assertTrue(d.text("registration.privacy").contains("health authority"))
        // The secret field holds the core's proposed passphrase, which the policy accepts; a PIN
        // is refused with its reason.
        val proposed = d.text("registration.secret")
        assertEquals(5, proposed.split("-").size)
        assertTrue(d.core.secretStrength(proposed, "").level != org.spur.core.SecretLevel.REFUSED)
        assertFalse(d.text("registration.secretHint").isEmpty())
        d.tap("registration.propose")
        assertTrue(d.text("registration.secret") != proposed)
        // A fixed passphrase in the field, so the screenshot is the same on every run.
        d.type("registration.secret", SECRET)
        d.screenshot("registration")
        d.type("registration.phone", "+49 151 23456789")
        d.type("registration.secret", "123456")
        assertTrue(d.text("registration.strength"), d.text("registration.strength").contains("PIN"))
        d.tap("registration.register")
        assertEquals("registration", d.screen)
        // The core judges the form: a number without country code is refused with its words.
        d.type("registration.phone", "0151 2345678")
        d.type("registration.secret", SECRET)
        d.tap("registration.register")
        assertEquals("registration", d.screen)
        assertTrue(d.text("status"), d.text("status").contains("country code"))
        d.type("registration.phone", "+49 151 23456789")
        d.tap("registration.register")
        assertEquals("home", d.screen)
        assertTrue(d.core.isRegistered())
        d.screenshot("home")

        d.tap("home.place")
        d.type("place.phone", "+49 89 1234567")
        d.type("place.postcode", "80331")
        d.type("place.name", "Café Sonnenschein")
        d.type("place.description", "Marienplatz 1, first floor")
        d.tap("place.type.0")
        d.screenshot("place-form")
        d.tap("place.make")
        val place = d.core.ownCodes().single { !it.personal }
        assertEquals("Café Sonnenschein", place.name)
        assertTrue(d.has("code.${place.qrId}"))
        assertTrue(d.has("code.image"))
        d.screenshot("place-code")

        // "Pick a picture" on the scan screen: a PNG of the code goes to the core's decoder.
        d.back()
        d.tap("home.scan")
        assertEquals("scan", d.screen)
        d.screenshot("scan")
        // Someone else's QR code (a menu link): the core's message is shown, the scan screen stays.
        val foreign = java.io.File(d.dataDir, "other.png")
        foreign.writeBytes(javaClass.getResourceAsStream("/other-qr-code.png")!!.readBytes())
        d.pickPicture(foreign)
        assertEquals("scan", d.screen)
        assertTrue(d.text("status"), d.text("status").startsWith("This QR code is not a spur code."))
        d.screenshot("scan-other-code")
        val picture = java.io.File(d.dataDir, "place.png").apply { writeBytes(d.core.codePng(place.url, 6u)) }
        d.pickPicture(picture)
        assertEquals("stay", d.screen)
        assertEquals("Café Sonnenschein", d.text("stay.place"))
        d.back()
        d.back()
        assertEquals("home", d.screen)

        // The system camera opens the place's URL: the app shows the place and the stays.
        d.openLink(place.url)
        assertEquals("stay", d.screen)
        assertEquals("Café Sonnenschein", d.text("stay.place"))
        val stays = d.core.stayOptions()
        val open = stays.indexOfFirst { it.stay is org.spur.core.Stay.Open }
        d.tap("stay.option.$open")
        d.screenshot("stay")
        d.tap("stay.checkin")
        assertEquals("home", d.screen)
        assertEquals("Café Sonnenschein", d.text("home.open.name"))
        // The open check-in shows the end the core planned (two hours), not "until check-out".
        assertTrue(d.text("home.open.times"), d.text("home.open.times").contains("ends at"))
        assertTrue(d.text("status"), d.text("status").startsWith("You are checked in at Café Sonnenschein from "))
        assertTrue(d.text("status"), d.text("status").contains("unless you extend it"))
        assertEquals("Scans: 1", d.text("home.counters.scans"))
        d.screenshot("home-checked-in")

        d.tap("home.checkout")
        assertTrue(d.has("home.open.none"))
        assertEquals(null, d.core.openCheckIn())
        assertTrue(d.text("status"), d.text("status").startsWith("You checked out of Café Sonnenschein at "))

        d.tap("home.history")
        assertEquals("history", d.screen)
        assertTrue(d.text("history.entry.0"), d.text("history.entry.0").startsWith("Café Sonnenschein\n"))
        assertFalse(d.text("history.entry.0").endsWith("open"))
        d.screenshot("history")
    }

    @Test
    fun reminderStayLongerAndEndingAFixedStayEarly() {
        val d = driver()
        d.register("+4915166666666")
        val place = kotlinx.coroutines.runBlocking {
            d.core.createPlaceCode(
                org.spur.core.PlaceForm("+49 89 1234567", "DE", "80331", "Kiosk am Markt", org.spur.core.PlaceType.RETAIL, ""),
            )
        }
        // An open check-in planned for 15 minutes: its reminder (15 minutes before the end) is due
        // at once, so the home screen shows it without waiting.
        val open = kotlinx.coroutines.runBlocking { d.core.checkIn(place.url, org.spur.core.Stay.OpenFor(15u), null) }
        assertTrue(open.open)
        d.activity.render()
        d.settle()
        assertEquals("home", d.screen)
        assertEquals("Kiosk am Markt", d.text("home.open.name"))
        assertTrue(d.text("home.open.reminder"), d.text("home.open.reminder").startsWith("Are you still at Kiosk am Markt? Your check-in ends at "))
        d.screenshot("home-reminder")
        d.tap("home.open.extend")
        assertFalse("the reminder is answered", d.has("home.open.reminder"))
        val extended = d.core.openCheckIn()!!
        assertEquals(open.plannedOut + 3600u, extended.plannedOut)

        // A fixed stay: shown with its end and "End now"; the open check-in was ended by it.
        d.openLink(place.url)
        assertEquals("stay", d.screen)
        val stays = d.core.stayOptions()
        val hour = stays.indexOfFirst { it.stay == org.spur.core.Stay.Minutes(60u) }
        d.tap("stay.option.$hour")
        d.tap("stay.checkin")
        assertEquals("home", d.screen)
        // Same code during its stay: merged into that stay, said so, no second row.
        assertTrue(d.text("status"), d.text("status").startsWith("You were already checked in at Kiosk am Markt since "))
        assertEquals(1, d.core.runningCheckIns().size)
        assertEquals(1, d.core.history().size)
        assertTrue(d.has("home.open.name"))

        // Another place, a fixed hour: the open check-in ends, and the status says so.
        val other = kotlinx.coroutines.runBlocking {
            d.core.createPlaceCode(
                org.spur.core.PlaceForm("+49 89 1234567", "DE", "80331", "Bäckerei Huber", org.spur.core.PlaceType.RETAIL, ""),
            )
        }
        d.openLink(other.url)
        d.tap("stay.option.$hour")
        d.tap("stay.checkin")
        assertEquals("home", d.screen)
        assertTrue(d.text("status"), d.text("status").contains("This ended your check-in at Kiosk am Markt at "))
        assertFalse(d.has("home.open.name"))
        assertEquals("Bäckerei Huber", d.text("home.stay.0.name"))
        assertEquals("End now", d.text("home.stay.0.end"))
        d.screenshot("home-fixed-stay")
        d.tap("home.stay.0.end")
        assertTrue(d.has("home.open.none"))
        assertTrue(d.text("status"), d.text("status").startsWith("You checked out of Bäckerei Huber at "))
        assertTrue(d.text("status"), d.text("status").endsWith("It was sent."))
        val h = d.core.history().first()
        assertTrue("ended early, not after the planned hour", h.timeOut!! < h.timeIn + 3600u)
    }

    @Test
    fun personalCodeWithPinForPrinting() {
        val d = driver()
        d.register("+4915111111111")
        d.tap("home.personal")
        d.type("personal.pin", "12")
        d.tap("personal.make")
        assertTrue(d.text("status"), d.text("status").contains("4 to 12 digits"))
        d.type("personal.pin", "482913")
        d.tap("personal.printable")
        d.tap("personal.make")
        val card = d.core.ownCodes().single { it.personal }
        assertTrue(card.pinProtected && card.printable)
        assertTrue(d.has("code.${card.qrId}"))
        assertTrue(d.has("code.image"))
        assertTrue(d.has("code.print.A6"))
        d.screenshot("personal-code")
    }

    @Test
    fun aPinCardScannedWhileItsPinCannotBeCheckedSaysSoAndAWrongPinIsToldAtSync() {
        // The card's owner makes a printable card with a PIN (online: the POST server knows it).
        val owner = ScreenDriver()
        val card = try {
            owner.register("+4915177777777")
            kotlinx.coroutines.runBlocking { owner.core.createPersonalCode("4711", true) }
        } finally {
            owner.close()
        }
        assertTrue(card.pinProtected)

        val d = driver()
        d.register("+4915188888888")
        // The POST server cannot be reached (nobody listens on that port); the TAG server can.
        val unreachable = "http://127.0.0.1:${java.net.ServerSocket(0).use { it.localPort }}"
        d.restart(postUrl = unreachable)
        assertEquals("home", d.screen)
        d.openLink(card.url)
        assertEquals("stay", d.screen)
        assertTrue("a PIN card asks for the owner's PIN", d.has("stay.pin"))
        d.type("stay.pin", "0000")
        val hour = d.core.stayOptions().indexOfFirst { it.stay == org.spur.core.Stay.Minutes(60u) }
        d.tap("stay.option.$hour")
        d.tap("stay.checkin")
        assertEquals("home", d.screen)
        val note = d.core.pinNotCheckedNote()
        assertTrue("the core keeps it unchecked", note != null && note.startsWith("PIN not checked yet"))
        // Said after the check-in, and kept on home while the PIN waits for its check.
        assertTrue(d.text("status"), d.text("status").contains(note!!))
        assertEquals(note, d.text("home.pin"))
        d.screenshot("home-pin-not-checked")

        // Online again, past the retry wait of the failed PIN check (30 s): the sync checks the
        // PIN, drops the check-in and says why, where home shows the sync's result.
        Thread.sleep(31_000)
        d.restart()
        assertEquals("home", d.screen)
        assertTrue(d.text("home.sync"), d.text("home.sync").contains("One check-in was dropped: wrong PIN"))
        assertEquals(null, d.core.pinNotCheckedNote())
        assertFalse("the note is gone once the PIN was checked", d.has("home.pin"))
        assertTrue(d.core.history().isEmpty())
        // The dropped check-in is no longer shown as going on.
        assertTrue(d.has("home.open.none"))
        assertFalse(d.has("home.stay.0.name"))
        d.screenshot("home-sync-wrong-pin")
    }

    @Test
    fun consentShowsTheAuthorityAndRefusesAForgedCode() {
        val service = TestService.get()
        val d = driver()
        d.register("+4915122222222")
        d.openLink(service.forgedConsent)
        assertEquals("consent", d.screen)
        assertTrue(d.text("status"), d.text("status").contains("not genuine"))
        assertFalse(d.has("consent.release"))
        d.screenshot("consent-forged")
        d.back()

        d.openLink(service.genuineConsent)
        assertEquals("consent", d.screen)
        assertEquals("Health authority: ${TestService.AUTHORITY}", d.text("consent.authority"))
        assertEquals("Case: TEST-1", d.text("consent.case"))
        assertTrue(d.text("consent.days").endsWith("(4)"))
        d.screenshot("consent")
        d.type("consent.phone", "+4915122222222")
        d.type("consent.secret", "wrong secret here")
        d.tap("consent.release")
        assertFalse(d.has("consent.thanks"))
        assertTrue(d.text("status").isNotEmpty())
        d.type("consent.secret", SECRET)
        d.tap("consent.release")
        assertTrue(d.text("consent.thanks"), d.text("consent.thanks").contains(TestService.AUTHORITY))
    }

    @Test
    fun settingsInGermanAndDeleteAll() {
        val d = driver(locale = "de")
        d.register("+4915133333333")
        d.tap("home.settings")
        assertEquals("settings", d.screen)
        d.tap("settings.history")
        assertFalse(d.core.historyEnabled())
        // German captions, from the core's de/captions.ftl.
        assertEquals("Alle Daten löschen", d.text("settings.delete"))
        d.screenshot("settings-de")
        d.tap("settings.delete")
        d.screenshot("settings-delete-de")
        d.tap("settings.deleteConfirm")
        assertEquals("registration", d.screen)
        assertFalse(d.core.isRegistered())
        // The core's own confirmation, in German.
        assertTrue(d.text("status"), d.text("status").contains("gelöscht"))
    }

    @Test
    fun appPinLocksTheAppWhenLeft() {
        val d = driver()
        d.register("+4915155555555")
        d.tap("home.settings")
        d.type("settings.pin", "12")
        d.tap("settings.setPin")
        assertTrue(d.text("status"), d.text("status").contains("4 to 12 digits"))
        d.type("settings.pin", "2468")
        d.tap("settings.setPin")
        assertEquals("Saved.", d.text("status"))
        d.leaveAndReturn()
        assertEquals("lock", d.screen)
        assertTrue(d.core.isLocked())
        d.screenshot("lock")
        d.type("lock.pin", "1111")
        d.tap("lock.unlock")
        assertEquals("lock", d.screen)
        assertEquals("Wrong PIN.", d.text("status"))
        d.type("lock.pin", "2468")
        d.tap("lock.unlock")
        assertEquals("home", d.screen)
        assertFalse(d.core.isLocked())
    }

    @Test
    fun textFollowsTheSystemFontSize() {
        org.robolectric.RuntimeEnvironment.setFontScale(1.5f)
        val d = driver()
        val privacy = d.view<android.widget.TextView>("registration.privacy")
        val metrics = privacy.resources.displayMetrics
        // Android 14 scales large fonts non-linearly (18 sp at 150 % becomes about 24 sp), so the
        // test asks for clear growth rather than exactly 150 %.
        assertTrue("${privacy.textSize} px", privacy.textSize >= 18f * 1.3f * metrics.density)
        // A fixed passphrase in place of the random proposal, so the screenshot is the same on every run.
        d.type("registration.secret", SECRET)
        d.screenshot("registration-large-text")
    }

    @Test
    fun aLinkBeforeRegistrationWaitsForIt() {
        val service = TestService.get()
        val d = driver(link = service.genuineConsent)
        assertEquals("registration", d.screen)
        d.type("registration.phone", "+4915144444444")
        d.type("registration.secret", SECRET)
        d.tap("registration.register")
        // After registering, the waiting link opens on its screen.
        assertEquals("consent", d.screen)
        assertEquals("Case: TEST-1", d.text("consent.case"))
    }
}
