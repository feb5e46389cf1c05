// Create a place code: the form (responsible phone, country, postcode, name, type, description)
// goes to the core, which checks it, seals the place data and uploads it; the code is shown.
package org.spur.android

import android.widget.LinearLayout
import org.spur.core.OwnCode
import org.spur.core.PlaceForm

class PlaceCodeScreen(app: MainActivity) : Screen(app) {
    override val title get() = words.placeTitle
    override val name = "place"
    private var made: OwnCode? = null

    override fun fill(column: LinearLayout) {
        made?.let { CodeView.show(app, column, it, words, ::say) }
        val phone = Ui.field(column, words.responsiblePhone, "place.phone", Ui.PHONE)
        val country = Ui.field(column, words.country, "place.country", Ui.CAPITALS, "DE")
        val postcode = Ui.field(column, words.placePostcode, "place.postcode", Ui.NUMBER)
        val placeName = Ui.field(column, words.placeName, "place.name")
        val types = core.placeTypes()
        val kind = Choices(column, words.placeType, "place.type", types.map { it.label })
        val description = Ui.field(column, words.placeDescription, "place.description")
        column.addView(Ui.button(app, words.makeCode, "place.make") {
            val chosen = kind.chosen ?: return@button say(words.placeType)
            val form = PlaceForm(
                responsiblePhone = phone.text.toString(),
                country = country.text.toString(),
                postcode = postcode.text.toString(),
                name = placeName.text.toString(),
                kind = types[chosen].kind,
                description = description.text.toString(),
            )
            launch({ core.createPlaceCode(form) }) {
                made = it
                app.render()
            }
        })
    }
}
