// Shows one code this device made: the core's picture of it, what it is, and printing of the
// core's PDF (one A6 card or an A4 sheet of four).
package org.spur.android

import android.graphics.BitmapFactory
import android.widget.ImageView
import android.widget.LinearLayout
import org.spur.core.Captions
import org.spur.core.CardLayout
import org.spur.core.OwnCode
import org.spur.core.SpurException

object CodeView {
    fun show(app: MainActivity, column: LinearLayout, code: OwnCode, words: Captions, say: (String) -> Unit) {
        val what = if (code.personal) words.myPersonalCode else code.name
        val said = app.core.codeWords(code)
        column.addView(Ui.heading(app, what, 20f).apply { tag = "code.${code.qrId}" })
        try {
            val png = app.core.codePng(code.url, 8u)
            column.addView(ImageView(app).apply {
                tag = "code.image"
                setImageBitmap(BitmapFactory.decodeByteArray(png, 0, png.size))
                contentDescription = said.imageLabel
                adjustViewBounds = true
                layoutParams = LinearLayout.LayoutParams((240 * resources.displayMetrics.density).toInt(), LinearLayout.LayoutParams.WRAP_CONTENT)
            })
        } catch (e: SpurException) {
            say(e.words())
        }
        column.addView(Ui.text(app, said.idLine, "code.id"))
        column.addView(Ui.text(app, Times.dateTime(code.created, words.languageTag)))
        listOf(CardLayout.A6 to words.printCard, CardLayout.A4_SHEET to words.printSheet).forEach { (layout, caption) ->
            column.addView(Ui.button(app, caption, "code.print.${layout.name}") {
                try {
                    Printing.printPdf(app, "spur-${code.qrId}", app.core.codePdf(code.url, layout))
                } catch (e: SpurException) {
                    say(e.words())
                }
            })
        }
    }
}
