namespace CdsService.Api.Handout;

/// <summary>One section of the handout: a heading, short paragraphs, and an optional list.</summary>
public sealed record HandoutSection(string Id, string Heading, IReadOnlyList<string> Paragraphs, IReadOnlyList<string> Items);

/// <summary>
/// The patient handout "Low testosterone: replacement or a fertility-preserving medicine?" in one language. The text is
/// the same for every patient (no patient data, so it can be printed, linked from any card and cached). Every fact is
/// taken from the rules document (docs/clinical/hypogonadism-rules.md: REC-3, REC-7, REC-12, REC-15, CI-2, CI-3 and the
/// monitoring plans of §11) and the evidence notes it cites; <see cref="Sources"/> names them for the reader. Plain
/// words and short sentences: the readability tests hold English to Flesch–Kincaid grade 8 and Spanish to
/// Fernández-Huerta 70 (tests/CdsService.UnitTests/Handout).
/// </summary>
public sealed record PatientHandout(
    string Language,
    string Title,
    string Lead,
    IReadOnlyList<HandoutSection> Sections,
    string SourcesHeading,
    IReadOnlyList<string> Sources,
    string Disclaimer,
    string OtherLanguageLabel)
{
    public const string English = "en";
    public const string Spanish = "es";

    public static IReadOnlyList<string> Languages { get; } = [English, Spanish];

    /// <summary>The handout in <paramref name="language"/> ("en" or "es"), or null for any other language.</summary>
    public static PatientHandout? For(string language) => language switch
    {
        English => InEnglish,
        Spanish => InSpanish,
        _ => null,
    };

    /// <summary>Every sentence a reader reads, in order (the title, lead, headings, paragraphs and list items).</summary>
    public IEnumerable<string> ReadableText()
    {
        yield return Title;
        yield return Lead;
        foreach (var section in Sections)
        {
            yield return section.Heading;
            foreach (var paragraph in section.Paragraphs)
            {
                yield return paragraph;
            }

            foreach (var item in section.Items)
            {
                yield return item;
            }
        }

        yield return Disclaimer;
    }

    // Sources are the short names of the rules document §13, so a clinician can find each one there.
    public static PatientHandout InEnglish { get; } = new(
        English,
        "Low testosterone: replacement or a fertility-preserving medicine?",
        "Your doctor found that your testosterone is low. This sheet helps you choose a treatment with your doctor. The right choice depends on one big question: do you want to have a child in the next few years?",
        [
            new("axis", "How your body makes testosterone", [
                "Testosterone is made in the testicles. A small gland under the brain, the pituitary, tells them what to do. It sends two signals in the blood. They are called LH and FSH.",
                "LH tells the testicles to make testosterone. FSH and testosterone together help the testicles make sperm. The brain checks how much testosterone is in the blood. When there is enough, it sends fewer signals. Doctors call this loop the HPG axis.",
            ], []),
            new("testosterone", "Why testosterone from outside stops sperm", [
                "Testosterone can be given as a gel, a shot or a pellet. It raises the testosterone in your blood.",
                "But the brain sees the high level and stops sending LH and FSH. Without these signals, the testicles make much less sperm. Often they make none. So testosterone is not the right choice if you want a child soon.",
                "Sperm most often comes back after testosterone is stopped. Most men make sperm again within about one year. After muscle-building steroids it can take longer: LH comes back in about 9 months, and sperm in about 14 months.",
            ], []),
            new("fertility", "Medicines that keep sperm coming", [
                "Some medicines raise your own testosterone and let the testicles keep making sperm.",
            ], [
                "Clomiphene is a pill. It blocks the brain's testosterone check, so the brain sends more LH and FSH. Your testicles then make more testosterone and keep making sperm. In men it is used \"off-label\": it was approved for women.",
                "Enclomiphene is a close cousin of clomiphene. It works the same way. It is not approved in the United States.",
                "hCG is a shot that acts like LH. It tells the testicles to make testosterone and sperm. Doctors may add FSH shots if sperm stays low. hCG is the choice when the pituitary gland itself is not working well.",
                "These medicines do not help when the testicles themselves are the problem. Your doctor can tell this from your LH level. Then a fertility doctor can talk with you about other options, such as saving sperm.",
            ]),
            new("side-effects", "Side effects to report", [
                "Call your doctor if you notice any of these:",
            ], [
                "On clomiphene or enclomiphene: any change in how you see, such as blurred vision, spots or flashes of light. Stop the pills and call. Also tell us about mood changes.",
                "On testosterone: it can raise the number of red blood cells. A blood count checks this. If it gets too high, your doctor may pause testosterone. We also check PSA, a blood test for the prostate, in men aged 40 to 69.",
                "On hCG: it can raise estrogen and the red blood cell count. Your blood tests check both.",
            ]),
            new("monitoring", "What tests to expect", [
                "Each medicine has its own plan. Your doctor will give you the dates.",
            ], [
                "Testosterone: a blood count before the first dose, and a PSA test for men aged 40 to 69. Testosterone, blood count and PSA again after 3 to 6 months. Then once a year.",
                "Clomiphene or enclomiphene: testosterone, estrogen, LH and FSH 4 to 8 weeks after you start. Questions about your eyesight at each visit. A semen test about every 3 months while you try for a child. A blood count and PSA from time to time.",
                "hCG: testosterone, estrogen and a blood count 4 to 6 weeks after you start. A semen test every 2 to 3 months while you try for a child.",
            ]),
            new("questions", "Questions to ask your doctor", [], [
                "Do I want a child in the next few years?",
                "Is my problem in the testicles or in the pituitary gland?",
                "How will we know if the treatment works?",
            ]),
        ],
        "Where these facts come from",
        [
            "AUA 2018: Evaluation and Management of Testosterone Deficiency (American Urological Association).",
            "ES 2018: Testosterone Therapy in Men With Hypogonadism (Endocrine Society).",
            "EAU: Sexual and Reproductive Health guideline, male hypogonadism (European Association of Urology).",
            "Kim 2013: recovery of sperm production after testosterone therapy (Fertility and Sterility).",
            "Shankara-Narayana 2019: recovery after anabolic steroid use.",
            "Clomiphene citrate prescribing information (DailyMed).",
        ],
        "This sheet is general information. It is not advice about your own care. Talk with your doctor before you start or stop any medicine.",
        "Leer en español");

    public static PatientHandout InSpanish { get; } = new(
        Spanish,
        "Testosterona baja: ¿reemplazo o un medicamento que protege la fertilidad?",
        "Su médico vio que su testosterona está baja. Esta hoja le ayuda a elegir un tratamiento con su médico. La elección depende de una pregunta: ¿quiere tener un hijo en los próximos años?",
        [
            new("axis", "Cómo hace su cuerpo la testosterona", [
                "La testosterona se hace en los testículos. Una glándula pequeña bajo el cerebro les dice qué hacer. Se llama hipófisis. Manda dos señales por la sangre. Se llaman LH y FSH.",
                "La LH pide a los testículos que hagan testosterona. La FSH y la testosterona ayudan a hacer espermatozoides. El cerebro mide la testosterona en la sangre. Si hay bastante, manda menos señales. Los médicos llaman a este circuito el eje HPG.",
            ], []),
            new("testosterone", "Por qué la testosterona de fuera frena los espermatozoides", [
                "La testosterona se da en gel, en inyección o en un implante. Sube la testosterona en la sangre.",
                "Pero el cerebro ve el nivel alto y deja de mandar LH y FSH. Sin esas señales, los testículos hacen muchos menos espermatozoides. A veces no hacen ninguno. Por eso la testosterona no es buena idea si quiere un hijo pronto.",
                "Casi siempre vuelven al dejar la testosterona. La mayoría de los hombres los recupera en un año. Tras usar esteroides para los músculos tarda más. La LH vuelve en unos 9 meses. Los espermatozoides, en unos 14 meses.",
            ], []),
            new("fertility", "Medicamentos que cuidan la fertilidad", [
                "Algunos medicamentos suben su propia testosterona. Así los testículos siguen haciendo espermatozoides.",
            ], [
                "El clomifeno es una pastilla. Bloquea el control del cerebro. El cerebro manda más LH y FSH. Los testículos hacen más testosterona y siguen haciendo espermatozoides. Se aprobó para mujeres. En hombres se usa \"fuera de ficha\".",
                "El enclomifeno es muy parecido al clomifeno. Actúa igual. No está aprobado en Estados Unidos.",
                "La hCG es una inyección que actúa como la LH. Pide a los testículos que hagan testosterona y espermatozoides. A veces se suma FSH en inyección. La hCG se usa cuando la hipófisis no funciona bien.",
                "Estos medicamentos no sirven si el problema está en los testículos. Su médico lo sabe por su LH. Un médico de fertilidad le puede hablar de otras opciones, como guardar semen.",
            ]),
            new("side-effects", "Efectos que debe contar", [
                "Llame a su médico si nota algo de esto:",
            ], [
                "Con clomifeno o enclomifeno: cualquier cambio en la vista. Por ejemplo, ver borroso, ver manchas o destellos. Deje las pastillas y llame. Cuente también si cambia su humor.",
                "Con testosterona: puede subir los glóbulos rojos. Un recuento de sangre lo mide. Si suben mucho, su médico puede pausar la testosterona. También se mide el PSA, un análisis de la próstata, de los 40 a los 69 años.",
                "Con hCG: puede subir el estrógeno y los glóbulos rojos. Los análisis miden los dos.",
            ]),
            new("monitoring", "Qué pruebas le harán", [
                "Cada medicamento tiene su plan. Su médico le dará las fechas.",
            ], [
                "Testosterona: un recuento de sangre antes de la primera dosis. El PSA de los 40 a los 69 años. De nuevo a los 3 a 6 meses. Luego una vez al año.",
                "Clomifeno o enclomifeno: testosterona, estrógeno, LH y FSH a las 4 a 8 semanas. Preguntas sobre la vista en cada visita. Un análisis de semen cada 3 meses si busca un hijo. A veces, un recuento de sangre y el PSA.",
                "hCG: testosterona, estrógeno y recuento de sangre a las 4 a 6 semanas. Un análisis de semen cada 2 a 3 meses si busca un hijo.",
            ]),
            new("questions", "Preguntas para su médico", [], [
                "¿Quiero tener un hijo en los próximos años?",
                "¿El problema está en los testículos o en la hipófisis?",
                "¿Cómo sabremos si el tratamiento funciona?",
            ]),
        ],
        "De dónde salen estos datos",
        [
            "AUA 2018: Evaluation and Management of Testosterone Deficiency (American Urological Association).",
            "ES 2018: Testosterone Therapy in Men With Hypogonadism (Endocrine Society).",
            "EAU: Sexual and Reproductive Health guideline, male hypogonadism (European Association of Urology).",
            "Kim 2013: recuperación de los espermatozoides tras la testosterona (Fertility and Sterility).",
            "Shankara-Narayana 2019: recuperación tras el uso de esteroides anabólicos.",
            "Ficha técnica del citrato de clomifeno (DailyMed).",
        ],
        "Esta hoja da información general. No es un consejo sobre su caso. Hable con su médico antes de empezar o dejar un medicamento.",
        "Read in English");
}
