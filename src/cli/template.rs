use std::path::PathBuf;

use tenderkit::docx::template::Binding;

use super::EXIT_FINDINGS;

#[derive(clap::Subcommand)]
pub enum Command {
    /// List a template's fields and check them: blocks closed, helpers known, data present.
    Check(CheckArgs),
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// A Word (.docx) or text (.hbs) template.
    template: PathBuf,
    /// Sample data (JSON) to check the fields against: `tenderkit letters KIND ... --data` prints it.
    /// A list checks against its first item.
    #[arg(long, value_name = "DATA.json")]
    data: Option<PathBuf>,
    /// What a Word template's merge fields mean: `Bidder_Name = "bidder"` (TOML). A fields.toml
    /// beside the template is read without this.
    #[arg(long, value_name = "FIELDS.toml")]
    fields: Option<PathBuf>,
    /// Print the fields and problems as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(command: Command) -> tenderkit::Result<u8> {
    let Command::Check(args) = command;
    let template = super::input(&args.template)?;
    let fields = Binding::fields_file(Some(&args.template), args.fields.as_deref()).map(|p| super::input(&p)).transpose()?;
    let data = args.data.as_deref().map(super::input).transpose()?;
    let checked = tenderkit::app::template::check(&template, fields.as_ref(), data.as_ref())?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&checked.to_json()).expect("serialises"));
    } else {
        print!("{}", checked.text());
    }
    Ok(if checked.exit() == 0 { 0 } else { EXIT_FINDINGS })
}
