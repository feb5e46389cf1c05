// Turns the core's Unix seconds into the user's local date and time words.
package org.spur.android

import java.text.DateFormat
import java.util.Date
import java.util.Locale

object Times {
    fun dateTime(seconds: ULong, languageTag: String): String =
        DateFormat.getDateTimeInstance(DateFormat.MEDIUM, DateFormat.SHORT, Locale.forLanguageTag(languageTag))
            .format(Date(seconds.toLong() * 1000))
}
